using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Viewer;

/// <summary>
/// Plays the agent against the AppHost's api over MCP. Operations whose tool this build does not
/// offer yet go to the same Redis through an in-process api replica, so viewers see the same events.
/// </summary>
public sealed class MapAgent : IAsyncDisposable
{
    private readonly McpClient _mcp;
    private readonly HashSet<string> _tools;
    private readonly ApiInstance _replica;

    private MapAgent(McpClient mcp, HashSet<string> tools, ApiInstance replica)
    {
        _mcp = mcp;
        _tools = tools;
        _replica = replica;
    }

    public static async Task<MapAgent> ConnectAsync(AppHostFixture app, CancellationToken cancellationToken)
    {
        var api = app.App.GetEndpoint("mcp-map-server", "http");
        var mcp = await AgentConnection.ConnectAsync(new HttpClientTransportOptions { Endpoint = new Uri(api, "/mcp") }, cancellationToken);
        var tools = (await mcp.ListToolsAsync(cancellationToken: cancellationToken)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var redis = await app.App.GetConnectionStringAsync("redis", cancellationToken);
        return new MapAgent(mcp, tools, new ApiInstance(redis));
    }

    public bool Offers(string tool) => _tools.Contains(tool);

    public async Task<JsonElement> CallAsync(string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken) =>
        (await ResultAsync(tool, arguments, cancellationToken)).StructuredContent ?? default;

    /// <summary>A tool's whole result (content, structured content), as a host hands it on.</summary>
    public async Task<CallToolResult> ResultAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var result = await _mcp.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        Assert.True(result.IsError != true, $"{tool} failed: {string.Join(" ", result.Content.OfType<TextContentBlock>().Select(t => t.Text))}");
        return result;
    }

    /// <summary>A tool's whole result, an error included.</summary>
    public async Task<CallToolResult> RawResultAsync(string tool, IReadOnlyDictionary<string, object?> arguments, CancellationToken cancellationToken) =>
        await _mcp.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);

    /// <summary>A tools/call as an app sends it through its host (params JSON in, result JSON out; a tool error stays a result).</summary>
    public async Task<string> CallFromAppAsync(string callParams, CancellationToken cancellationToken)
    {
        var call = JsonSerializer.Deserialize<CallToolRequestParams>(callParams, McpJsonUtilities.DefaultOptions)!;
        var arguments = call.Arguments?.ToDictionary(pair => pair.Key, pair => (object?)pair.Value) ?? [];
        var result = await _mcp.CallToolAsync(call.Name, arguments, cancellationToken: cancellationToken);
        return JsonSerializer.Serialize(result, McpJsonUtilities.DefaultOptions);
    }

    public Task<IList<McpClientTool>> ToolsAsync(CancellationToken cancellationToken) => _mcp.ListToolsAsync(cancellationToken: cancellationToken).AsTask();

    public Task<ReadResourceResult> ReadResourceAsync(string uri, CancellationToken cancellationToken) => _mcp.ReadResourceAsync(uri, cancellationToken: cancellationToken).AsTask();

    public async Task<string> CreateSessionAsync(CancellationToken cancellationToken) =>
        (await CallAsync("create_map_session", [], cancellationToken)).GetProperty("session_id").GetString()!;

    public async Task<long> SetViewAsync(string sessionId, double[]? center, double? zoom, double? bearing, CancellationToken cancellationToken) =>
        (await CallAsync("set_map_view", new() { ["session_id"] = sessionId, ["center"] = center, ["zoom"] = zoom, ["bearing"] = bearing }, cancellationToken)).GetProperty("version").GetInt64();

    /// <summary>The tool when it is offered, else the same operation applied to the shared store.</summary>
    public async Task<long> ApplyAsync(string sessionId, string tool, Dictionary<string, object?> arguments, MapOperation operation, CancellationToken cancellationToken)
    {
        if (Offers(tool))
        {
            arguments["session_id"] = sessionId;
            return (await CallAsync(tool, arguments, cancellationToken)).GetProperty("version").GetInt64();
        }

        return (await _replica.Store.ApplyAsync(sessionId, operation, cancellationToken)).State.Version;
    }

    public Task<long> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken) =>
        ApplyAsync(sessionId, "", [], operation, cancellationToken);

    public Task<long> AddGeoJsonLayerAsync(string sessionId, string layerId, string title, string color, object featureCollection, object[] styleLayers, CancellationToken cancellationToken) =>
        AddLayerAsync(sessionId, layerId, title, color, new { type = "geojson", data = featureCollection }, styleLayers, cancellationToken);

    /// <summary>A raster layer drawing XYZ tiles from <paramref name="tileUrlTemplate"/> ({z}/{x}/{y}).</summary>
    public Task<long> AddRasterLayerAsync(string sessionId, string layerId, string title, string tileUrlTemplate, CancellationToken cancellationToken) =>
        AddLayerAsync(sessionId, layerId, title, "#f59e0b", new { type = "raster", tiles = new[] { tileUrlTemplate }, tileSize = 256 },
            [new { id = $"{layerId}-raster", type = "raster", source = layerId, paint = new Dictionary<string, object> { ["raster-opacity"] = 0.5 } }],
            cancellationToken);

    private Task<long> AddLayerAsync(string sessionId, string layerId, string title, string color, object source, object[] styleLayers, CancellationToken cancellationToken) =>
        ApplyAsync(
            sessionId,
            "add_layer",
            new() { ["layer_id"] = layerId, ["source"] = source, ["layers"] = styleLayers, ["title"] = title },
            new AddLayer(layerId, JsonSerializer.SerializeToElement(source), [.. styleLayers.Select(l => JsonSerializer.SerializeToElement(l))], title, color),
            cancellationToken);

    public Task<long> AddMarkerAsync(string sessionId, string markerId, double longitude, double latitude, string label, string color, string popup, CancellationToken cancellationToken) =>
        ApplyAsync(
            sessionId,
            "add_marker",
            new() { ["marker_id"] = markerId, ["longitude"] = longitude, ["latitude"] = latitude, ["label"] = label, ["color"] = color, ["popup"] = popup },
            new PutAnnotation(markerId, new MapAnnotation
            {
                Kind = AnnotationKind.Marker,
                Geometry = JsonSerializer.SerializeToElement(new { type = "Point", coordinates = new[] { longitude, latitude } }),
                Label = label,
                Color = color,
                Popup = popup,
            }),
            cancellationToken);

    public Task<long> SetBasemapAsync(string sessionId, string basemap, CancellationToken cancellationToken) =>
        ApplyAsync(sessionId, "set_basemap", new() { ["basemap"] = basemap }, new SetBasemap(basemap), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _mcp.DisposeAsync();
        await _replica.DisposeAsync();
    }
}
