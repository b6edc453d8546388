namespace MapServer.Api.Security;

/// <summary>Which URLs sources may point viewers' browsers at (<c>MapServer:Sources</c>).</summary>
public sealed class SourceUrlOptions
{
    public const string Section = "MapServer:Sources";

    /// <summary>Also allow plain http: URLs (https: always). On in Development.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Allow loopback, private, link-local and intranet host names. On in Development; in Production list such hosts in <see cref="AllowedHosts"/> instead.</summary>
    public bool AllowPrivateHosts { get; set; }

    /// <summary>';'-separated host names (or <c>*.example.com</c>). Empty: any public host. Set: only these, private ones included.</summary>
    public string AllowedHosts { get; set; } = "";
}
