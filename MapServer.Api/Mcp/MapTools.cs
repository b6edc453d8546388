using System.ComponentModel;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>Whole-map tools: framing, basemap, clearing, history.</summary>
[McpServerToolType]
public sealed class MapTools(MapSessionGateway sessions)
{
    [McpServerTool(Name = "fit_bounds", Title = "Frame an area", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Moves the map so a bounding box fills the view, e.g. bbox [-0.51, 51.28, 0.33, 51.69] for London. Every viewer fits the box to its own screen (a phone zooms out further than a desktop); get_map_state then reports the box and the center and zoom it implies on a 1024x768 screen, until set_map_view replaces it.")]
    public Task<MapChangeResult> FitBounds(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("[west, south, east, north] in degrees (min lon, min lat, max lon, max lat).")] double[] bbox,
        [Description("Margin in pixels around the box, 0..300. Default 40.")] int padding = 40,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new FitBounds(bbox, padding) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "set_basemap", Title = "Change the basemap", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Changes the background map: 'streets' (OpenStreetMap), 'topo' (OpenTopoMap), 'satellite' (Esri imagery) or 'blank' (works offline).")]
    public Task<MapChangeResult> SetBasemap(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("'streets', 'topo', 'satellite' or 'blank'.")] string basemap,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new SetBasemap(basemap) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "clear_map", Title = "Clear the map", Destructive = true, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Removes every layer, marker, line, polygon and circle. The view and basemap stay.")]
    public Task<MapChangeResult> ClearMap(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new ClearMap() { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "get_history", Title = "Recent changes", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists the session's recent changes, newest last: version, operation, summary and time.")]
    public async Task<MapHistory> GetHistory(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("How many recent changes, 1..256. Default 20.")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        var count = (int)MapValidation.InRange(limit, 1, 256, "limit", "how many recent changes to list");
        var buffered = await sessions.BufferedChangesAsync(session_id, cancellationToken);
        return new MapHistory([.. buffered.Events.TakeLast(count).Select(e => new MapHistoryEntry(e.Version, e.Op, e.Summary, e.At))]);
    }
}
