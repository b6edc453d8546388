using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using MapServer.Api.Security;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace MapServer.Tests.Security;

/// <summary>ApiKey mode over real HTTP: only <c>Authorization: Bearer &lt;key&gt;</c> with a configured key's hash gets in.</summary>
[Trait("Tier", "App")]
public sealed class ApiKeyAuthenticationTests : IAsyncLifetime
{
    private static readonly (string Key, string Hash) Alice = ApiKeys.Mint();

    private ApiInstance _api = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _api = new ApiInstance(redisConnectionString: null, new Dictionary<string, string?>
        {
            ["MapServer:Auth:Mode"] = "ApiKey",
            ["MapServer:Auth:ApiKeys:alice"] = Alice.Hash,
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    public static TheoryData<string, string?, string> Refused => new()
    {
        { "no header", null, "/mcp" },
        { "wrong key", "Bearer msk_not-a-key", "/mcp" },
        { "key in the query string", null, $"/mcp?api_key={Alice.Key}" },
        { "key as access_token", null, $"/mcp?access_token={Alice.Key}" },
        { "Basic scheme", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"alice:{Alice.Key}")), "/mcp" },
        { "raw key without scheme", Alice.Key, "/mcp" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Mcp_requests_without_an_accepted_bearer_key_get_401_with_WWW_Authenticate(string why, string? authorization, string path)
    {
        using var http = _api.CreateHttpClient();
        using var request = McpHttpRequest.Create(McpHttpRequest.Initialize, path: path);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request, Token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {(int)response.StatusCode}");
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("realm=", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_right_key_lists_the_same_tools_as_an_open_server_and_calls_them()
    {
        await using var open = new ApiInstance(redisConnectionString: null);
        await using var anonymous = await open.CreateMcpClientAsync(Token);
        await using var agent = await _api.CreateMcpClientAsync(Alice.Key, Token);

        var expected = (await anonymous.ListToolsAsync(cancellationToken: Token)).Select(t => t.Name).Order();
        var tools = (await agent.ListToolsAsync(cancellationToken: Token)).Select(t => t.Name).Order();
        var created = await agent.CallToolAsync("create_map_session", cancellationToken: Token);

        Assert.Equal(expected, tools);
        Assert.True(created.IsError is not true);
        Assert.StartsWith("key:alice", await _api.Store.OwnerAsync(created.StructuredContent!.Value.GetProperty("session_id").GetString()!, Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_session_over_http_needs_a_key_and_the_viewer_endpoints_do_not()
    {
        using var http = _api.CreateHttpClient();
        using var anonymous = await http.PostAsync("/sessions", null, Token);
        using var withKey = new HttpRequestMessage(HttpMethod.Post, "/sessions") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Alice.Key) } };
        using var created = await http.SendAsync(withKey, Token);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Token)).GetProperty("sessionId").GetString();
        using var viewerRead = await http.GetAsync($"/sessions/{id}", Token);
        using var health = await http.GetAsync("/health", Token);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.NotEmpty(anonymous.Headers.WwwAuthenticate);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerRead.StatusCode); // viewer links are capabilities: no login
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task An_events_stream_without_a_session_does_not_create_one_when_auth_is_on()
    {
        using var http = _api.CreateHttpClient();

        using var response = await http.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
