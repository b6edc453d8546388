namespace MapServer.Api.Security;

/// <summary>Settings under <c>MapServer:Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "MapServer:Auth";

    /// <summary><see cref="AuthMode"/>: read by <see cref="SecuritySetup"/>, required in Production.</summary>
    public const string ModeKey = Section + ":Mode";

    /// <summary>Key name -> lowercase SHA-256 hex of the key (<c>MapServer:Auth:ApiKeys:&lt;name&gt;</c>). The keys themselves are never stored.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    public OAuthResourceOptions OAuth { get; set; } = new();
}
