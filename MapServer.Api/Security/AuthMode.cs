namespace MapServer.Api.Security;

/// <summary>Who may call <c>/mcp</c> and create sessions (<c>MapServer:Auth:Mode</c>).</summary>
public enum AuthMode
{
    /// <summary>Anyone who reaches the server; sessions belong to no one. The default in Development.</summary>
    None,

    /// <summary>Bearer keys whose SHA-256 hashes are configured; each key is a principal (<c>key:&lt;name&gt;</c>).</summary>
    ApiKey,

    /// <summary>An OAuth 2.1 protected resource: bearer JWTs from the configured authority, audience = this server's /mcp.</summary>
    OAuth,
}
