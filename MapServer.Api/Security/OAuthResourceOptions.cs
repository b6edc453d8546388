namespace MapServer.Api.Security;

/// <summary>The authorization server whose access tokens <c>/mcp</c> accepts (<c>MapServer:Auth:OAuth</c>).</summary>
public sealed class OAuthResourceOptions
{
    /// <summary>The issuer (e.g. https://login.example.com/realms/maps); its OpenID metadata gives the signing keys.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The audience tokens must name: this server's resource URL; empty = MapServer:PublicBaseUrl + "/mcp".</summary>
    public string Audience { get; set; } = "";

    /// <summary>Scopes advertised in the protected resource metadata (space-separated); none are required.</summary>
    public string Scopes { get; set; } = "";

    /// <summary>Fetch the authority's metadata over https only. Turn off only for a local test authority.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
