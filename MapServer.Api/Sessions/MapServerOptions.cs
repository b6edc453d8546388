namespace MapServer.Api.Sessions;

/// <summary>Settings under the "MapServer" configuration section.</summary>
public sealed class MapServerOptions
{
    public const string Section = "MapServer";

    /// <summary>Idle sessions expire after this long; every change restarts the clock.</summary>
    public TimeSpan SessionTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many recent events each session keeps for reconnecting viewers and history.</summary>
    public int ReplayBufferLength { get; set; } = 256;

    /// <summary>Base URL people open the viewer at (e.g. https://mcp-map.example.com); empty = the request's own origin.</summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>The map renderer's URL (MapServer.Renderer), for get_map_image; empty = no images (the tool says so).</summary>
    public string RendererUrl { get; set; } = "";

    /// <summary>Markdown file describing available data layers (the original's --prompt-file).</summary>
    public string PromptFile { get; set; } = "layer-catalog.md";

    /// <summary>Extra host names (';'-separated) that may appear in Host/Origin, e.g. the ingress host.</summary>
    public string AllowedHosts { get; set; } = "";

    /// <summary>Largest GeoJSON one layer may hold, in bytes.</summary>
    public int MaxGeoJsonBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Largest /mcp request body: one layer's GeoJSON and room for the rest of the call.</summary>
    public long MaxMcpRequestBytes => MaxGeoJsonBytes + 1024 * 1024;

    /// <summary>Most layer data (GeoJSON stored beside the state) one map session may use, in bytes.</summary>
    public long MaxSessionDataBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>
    /// How long one Redis command may take before it fails (connect, sync and async timeouts): a tool call
    /// while Redis is down or stuck fails this quickly with an error the agent can act on.
    /// </summary>
    public TimeSpan StorageTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Replicas of the session's Redis that must have a change before it is acknowledged (Redis <c>WAIT</c> after the
    /// commit script). 0 (the default) answers once the master has it: a failover before its replica copied the
    /// change loses it. 1 or more: an acknowledged change survives a master's loss; a change its replicas do not
    /// confirm within half <see cref="StorageTimeout"/> fails with "did not confirm whether it was stored".
    /// </summary>
    public int MinReplicaAcks { get; set; }

    /// <summary>Events each SSE connection may have waiting before it is dropped as too slow.</summary>
    public int ViewerQueueLength { get; set; } = 512;
}
