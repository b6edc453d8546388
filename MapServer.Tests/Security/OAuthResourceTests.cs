using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MapServer.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace MapServer.Tests.Security;

/// <summary>OAuth mode: /mcp is a protected resource; tokens are checked against a real (loopback) authority's keys.</summary>
[Trait("Tier", "App")]
public sealed class OAuthResourceTests : IAsyncLifetime
{
    private TestAuthority _authority = null!;
    private ApiInstance _api = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Resource => new Uri(_api.BaseAddress, "/mcp").ToString();

    public async ValueTask InitializeAsync()
    {
        _authority = await TestAuthority.StartAsync();
        _api = OAuthApi(knownNetworks: "127.0.0.0/8");
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _authority.DisposeAsync();
    }

    public static TheoryData<string> Spoilt => ["wrong audience", "wrong issuer", "expired", "unsigned", "signed by another key", "no token"];

    [Theory]
    [MemberData(nameof(Spoilt))]
    public async Task A_token_that_is_not_for_this_resource_from_its_authority_gets_401_naming_the_metadata(string spoilt)
    {
        var token = spoilt switch
        {
            "wrong audience" => _authority.Mint("https://other.example.com/mcp"),
            "wrong issuer" => _authority.Mint(Resource, issuer: "https://issuer.example.com"),
            "expired" => _authority.Mint(Resource, expiresIn: TimeSpan.FromMinutes(-5)),
            "unsigned" => _authority.Mint(Resource, withSignature: false),
            "signed by another key" => _authority.Mint(Resource, signingKey: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" }),
            _ => null,
        };

        using var response = await InitializeAsync(token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains($"resource_metadata=\"{new Uri(_api.BaseAddress, "/.well-known/oauth-protected-resource/mcp")}\"", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_token_for_this_resource_drives_the_map_as_its_subject()
    {
        await using var agent = await _api.CreateMcpClientAsync(_authority.Mint(Resource, subject: "carol"), Token);

        var created = await agent.CallToolAsync("create_map_session", cancellationToken: Token);

        Assert.True(created.IsError is not true);
        var owner = await _api.Store.OwnerAsync(created.StructuredContent!.Value.GetProperty("session_id").GetString()!, Token);
        Assert.Equal($"oauth:{_authority.Issuer}#carol", owner);
    }

    [Fact]
    public async Task The_metadata_names_the_https_resource_a_trusted_proxy_forwards_and_its_authority()
    {
        var metadata = await MetadataThroughHttpsProxyAsync(_api);

        Assert.Equal("https://maps.example.com/mcp", metadata.GetProperty("resource").GetString());
        Assert.Equal(_authority.Issuer, metadata.GetProperty("authorization_servers")[0].GetString()!.TrimEnd('/'));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_untrusted_peer_are_ignored()
    {
        await using var api = OAuthApi(knownNetworks: "");

        var metadata = await MetadataThroughHttpsProxyAsync(api);

        Assert.Equal(new Uri(api.BaseAddress, "/mcp").ToString(), metadata.GetProperty("resource").GetString());
    }

    /// <summary>The protected resource metadata, asked for as a TLS-terminating proxy for maps.example.com would.</summary>
    private static async Task<JsonElement> MetadataThroughHttpsProxyAsync(ApiInstance api)
    {
        using var http = api.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/oauth-protected-resource/mcp");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "maps.example.com");
        using var response = await http.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Token);
    }

    private ApiInstance OAuthApi(string knownNetworks) => new(redisConnectionString: null, new Dictionary<string, string?>
    {
        ["MapServer:Auth:Mode"] = "OAuth",
        ["MapServer:Auth:OAuth:Authority"] = _authority.Issuer,
        ["MapServer:Auth:OAuth:RequireHttpsMetadata"] = "false",
        ["MapServer:Proxy:KnownNetworks"] = knownNetworks,
        ["MapServer:AllowedHosts"] = "maps.example.com",
    });

    private async Task<HttpResponseMessage> InitializeAsync(string? bearer)
    {
        using var http = _api.CreateHttpClient();
        using var request = McpHttpRequest.Create(McpHttpRequest.Initialize, bearer);
        return await http.SendAsync(request, Token);
    }
}
