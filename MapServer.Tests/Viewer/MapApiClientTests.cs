using System.Net.Http.Json;
using MapServer.Web.Maps;

namespace MapServer.Tests.Viewer;

/// <summary>The viewer's api client against a stub api: what it makes of each answer.</summary>
[Trait("Tier", "App")]
public sealed class MapApiClientTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static MapApiClient ClientAnswering(Func<HttpRequestMessage, HttpResponseMessage> answer) =>
        new(new HttpClient(new StubApi(answer)) { BaseAddress = new Uri("http://api.test") });

    [Fact]
    public async Task Creating_a_session_returns_the_id_the_api_made()
    {
        HttpRequestMessage? seen = null;
        var client = ClientAnswering(request =>
        {
            seen = request;
            return new HttpResponseMessage(HttpStatusCode.Created) { Content = JsonContent.Create(new { sessionId = "k3JxQ2mN8pR4sT6vW1yZ0a", version = 0 }) };
        });

        Assert.Equal("k3JxQ2mN8pR4sT6vW1yZ0a", await client.CreateSessionAsync(Cancel));
        Assert.Equal(HttpMethod.Post, seen!.Method);
        Assert.Equal("/sessions", seen.RequestUri!.AbsolutePath);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task Api_that_wants_an_authenticated_agent_is_told_apart_from_other_failures(HttpStatusCode status)
    {
        var client = ClientAnswering(_ =>
        {
            var response = new HttpResponseMessage(status);
            response.Headers.WwwAuthenticate.ParseAdd("Bearer resource_metadata=\"http://api.test/.well-known/oauth-protected-resource\"");
            return response;
        });

        var denied = await Assert.ThrowsAsync<MapApiAccessDeniedException>(() => client.CreateSessionAsync(Cancel));
        Assert.Equal(status, denied.StatusCode);
        await Assert.ThrowsAsync<MapApiAccessDeniedException>(() => client.SessionExistsAsync("k3JxQ2mN8pR4sT6vW1yZ0a", Cancel));
    }

    [Fact]
    public async Task Api_failure_stays_a_plain_http_error_and_an_unknown_session_does_not_exist()
    {
        var failing = ClientAnswering(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        var notFound = ClientAnswering(_ => new HttpResponseMessage(HttpStatusCode.NotFound));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => failing.CreateSessionAsync(Cancel));
        Assert.IsNotType<MapApiAccessDeniedException>(failure);
        Assert.False(await notFound.SessionExistsAsync("AAAAAAAAAAAAAAAAAAAAAA", Cancel));
    }

    private sealed class StubApi(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
