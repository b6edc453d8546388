using System.Security.Claims;

namespace MapServer.Api.Security;

/// <summary>The name a caller's sessions are owned under: <c>key:&lt;name&gt;</c> for API keys, <c>oauth:&lt;issuer&gt;#&lt;subject&gt;</c> for tokens.</summary>
public static class MapPrincipal
{
    /// <summary>Claim carrying the owner name on an authenticated caller.</summary>
    public const string ClaimType = "mapserver:principal";

    public static string? NameOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (user.FindFirst(ClaimType) is { } own)
        {
            return own.Value;
        }

        // JWTs: the subject is unique only within its issuer.
        var subject = user.FindFirst("sub") ?? user.FindFirst(ClaimTypes.NameIdentifier);
        return subject is null ? null : $"oauth:{subject.Issuer}#{subject.Value}";
    }
}
