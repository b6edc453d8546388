using Bunit;
using MapServer.Web.Components.Pages;
using MapServer.Web.Maps;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MapServer.Tests.Viewer;

/// <summary>
/// The landing page (<c>/</c>), rendered with bUnit against a stub api: its form (which js/home.js submits on load) creates
/// the map. The browser test of the whole flow is in ViewerSecurityPolicyBrowserTests.
/// </summary>
[Trait("Tier", "App")]
public sealed class HomePageTests : BunitContext
{
    private void ApiAnswers(HttpStatusCode status, object? body = null) =>
        Services.AddSingleton(new MapApiClient(new HttpClient(new StubApi(status, body)) { BaseAddress = new Uri("http://api.test") }));

    [Fact]
    public void Api_that_creates_sessions_only_for_agents_gets_the_person_told_to_ask_their_agent()
    {
        ApiAnswers(HttpStatusCode.Unauthorized);

        var home = Render<Home>();
        home.Find("form").Submit();

        home.WaitForAssertion(() => Assert.Contains(
            "Maps on this server are created by agents: ask your agent for a map link",
            home.Find("[data-testid=agents-only]").TextContent,
            StringComparison.Ordinal));
        Assert.Empty(home.FindAll("button")); // trying again would not help
        Assert.DoesNotContain("Could not create a map session", home.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_api_shows_the_error_and_a_way_to_try_again()
    {
        ApiAnswers(HttpStatusCode.ServiceUnavailable);

        var home = Render<Home>();
        home.Find("form").Submit();

        home.WaitForAssertion(() => Assert.Contains("Could not create a map session", home.Markup, StringComparison.Ordinal));
        Assert.Equal("Try again", home.Find("form button[type=submit]").TextContent);
        Assert.Null(home.Find("form").GetAttribute("data-create-on-load")); // the script does not post again by itself
    }

    [Fact]
    public void New_session_opens_its_map()
    {
        ApiAnswers(HttpStatusCode.Created, new { sessionId = "k3JxQ2mN8pR4sT6vW1yZ0a", version = 0 });

        var home = Render<Home>();
        Assert.Equal("post", home.Find("form[data-create-on-load]").GetAttribute("method")); // opening the page creates nothing yet
        home.Find("form").Submit();

        var navigation = Services.GetRequiredService<NavigationManager>();
        home.WaitForAssertion(() => Assert.EndsWith("/map/k3JxQ2mN8pR4sT6vW1yZ0a", navigation.Uri, StringComparison.Ordinal));
    }

    private sealed class StubApi(HttpStatusCode status, object? body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body) });
    }
}
