using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// An OAuth authorization server as far as a resource server sees one, on loopback: OpenID discovery and a
/// JWKS over real HTTP, and access tokens minted by the test (good, expired, for another audience, unsigned...).
/// </summary>
public sealed class TestAuthority : IAsyncDisposable
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    private WebApplication _app = null!;

    private TestAuthority()
    {
    }

    public string Issuer { get; private set; } = "";

    public static async Task<TestAuthority> StartAsync()
    {
        var authority = new TestAuthority();
        (authority._app, authority.Issuer) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = authority.Issuer,
                ["jwks_uri"] = $"{authority.Issuer}/jwks",
                ["authorization_endpoint"] = $"{authority.Issuer}/authorize",
                ["token_endpoint"] = $"{authority.Issuer}/token",
            }));
            app.MapGet("/jwks", () => Results.Json(new Dictionary<string, object> { ["keys"] = new[] { Jwk(authority._key) } }));
        });
        return authority;
    }

    /// <summary>A token for <paramref name="audience"/>; each optional argument spoils one property.</summary>
    public string Mint(string audience, string subject = "alice", string? issuer = null, TimeSpan? expiresIn = null, bool withSignature = true, SecurityKey? signingKey = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = expires < now ? expires.AddMinutes(-10) : now,
            NotBefore = expires < now ? expires.AddMinutes(-10) : now,
            Expires = expires,
            SigningCredentials = withSignature ? new SigningCredentials(signingKey ?? _key, SecurityAlgorithms.RsaSha256) : null,
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static Dictionary<string, string> Jwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new()
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }
}
