using System.Security.Claims;
using System.Text.Encodings.Web;
using MapServer.Api.Apis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Security;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> against the configured key hashes. Only that header is read
/// (never the query string, which ends up in logs). ASP.NET Core has no API-key handler of its own.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Realm = "MapServer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var name = keys.Find(header["Bearer ".Length..].Trim());
        if (name is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not one of this server's keys."));
        }

        var identity = new ClaimsIdentity([new Claim(MapPrincipal.ClaimType, $"key:{name}"), new Claim(ClaimTypes.Name, name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = presented ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\"" : $"Bearer realm=\"{Realm}\"";
        await Response.WriteAsJsonAsync(new ApiError(
            presented ? "The API key was not accepted." : "This server needs an API key.",
            "Send it as the header `Authorization: Bearer <key>` (not in the URL). Ask the server's operator for a key."));
    }
}
