namespace MapServer.Api.Security;

/// <summary>How much one caller may do (<c>MapServer:Limits</c>). 0 turns a limit off.</summary>
public sealed class LimitOptions
{
    public const string Section = "MapServer:Limits";

    /// <summary>Sustained /mcp requests a second per principal (per client IP when anonymous).</summary>
    public int McpRequestsPerSecond { get; set; } = 10;

    /// <summary>/mcp requests a principal may make at once above the sustained rate.</summary>
    public int McpBurst { get; set; } = 60;

    /// <summary>Sustained changes a second to one map session, whoever makes them.</summary>
    public int ChangesPerSecondPerSession { get; set; } = 20;

    /// <summary>Changes to one session at once above the sustained rate.</summary>
    public int ChangeBurst { get; set; } = 100;

    /// <summary>New sessions an hour per principal (per client IP when anonymous).</summary>
    public int SessionsPerHour { get; set; } = 60;

    /// <summary>Sessions one principal may have alive at once (auth on).</summary>
    public int MaxLiveSessionsPerPrincipal { get; set; } = 100;

    /// <summary>Open /events streams per client IP on one replica.</summary>
    public int EventStreamsPerIp { get; set; } = 50;

    /// <summary>Data layers one map may hold.</summary>
    public int MaxLayersPerSession { get; set; } = 100;

    /// <summary>Markers, lines, polygons and circles one map may hold.</summary>
    public int MaxAnnotationsPerSession { get; set; } = 5_000;
}
