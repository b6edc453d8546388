using System.ComponentModel;
using System.Text.Json;
using MapServer.Api.Data;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>Undo and redo, and the map as portable documents (export and import).</summary>
[McpServerToolType]
public sealed class HistoryTools(MapSessionGateway sessions, LayerDataStorage data, PublicLinks links, IOptions<MapServerOptions> options)
{
    [McpServerTool(Name = "undo", Title = "Undo the last change", Destructive = true, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Reverts the most recent change of the session that is not undone yet (by any agent), restoring the map exactly as it was before it.
        Call again to go further back, one change per call. The undo is itself a new change: the version moves forward and every viewer sees it.
        Undo reaches back only over the session's last 256 recorded changes (the replay buffer; undos and redos count too, so about 128 undos in a row); older changes cannot be undone.
        Returns the new version and which change was undone; see get_history for the list of changes.
        """)]
    public Task<MapChangeResult> Undo(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        StepHistoryAsync(session_id, if_version, history => UndoHistory.Undo(history.Events, history.Complete, sessions.HistoryDepth), cancellationToken);

    [McpServerTool(Name = "redo", Title = "Redo an undone change", Destructive = true, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Re-applies the change most recently reverted by undo. Works only right after undo: any other change to the map clears what can be redone, as in an editor.
        Like undo, it is a new change (the version moves forward) and reaches back only over the session's last 256 recorded changes (undos and redos included).
        Returns the new version and which change was redone.
        """)]
    public Task<MapChangeResult> Redo(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        StepHistoryAsync(session_id, if_version, history => UndoHistory.Redo(history.Events, sessions.HistoryDepth), cancellationToken);

    [McpServerTool(Name = "export_map", Title = "Export the map", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Returns the whole map as two portable documents: `annotations`, a GeoJSON FeatureCollection of the markers, lines, polygons and circles
        (properties: id, kind, label, color, popup, radius_meters), and `style`, a MapLibre style (version 8) that renders the same map in any MapLibre
        client: the basemap tiles, every layer's source and style layers (filters, paint, layout, opacity and visibility applied) in drawing order,
        the annotations, and the view (center, zoom, bearing, pitch). Pass both to import_map to copy the map into another session.
        GeoJSON layers point at their data by URL (served by this server while the session lives); pass include_data=true to put the GeoJSON itself
        into the style (a self-contained document, can be megabytes).
        """)]
    public async Task<MapExportResult> ExportMap(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Put each GeoJSON layer's data into the style instead of its URL. Default false.")] bool include_data = false,
        CancellationToken cancellationToken = default)
    {
        var state = await data.WithDataAsync(session_id, await sessions.GetAsync(session_id, cancellationToken), include_data, links.BaseUrl, cancellationToken);
        return new MapExportResult(state.Version, MapExport.Annotations(state), MapStyleRenderer.Render(state, links.BaseUrl));
    }

    [McpServerTool(Name = "import_map", Title = "Import a map", Destructive = true, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Replaces the session's map with an exported one (what export_map returns), as one change that undo can revert.
        `style` (a MapLibre style, version 8) replaces the layers, view and basemap: each source becomes one layer, drawn by the style layers that use it
        (layers are grouped by source and ordered by their first style layer); background layers and the export's own basemap and annotation layers are skipped.
        `annotations` (a GeoJSON FeatureCollection of Point, LineString and Polygon features with a string id in properties.id) replaces every marker, line, polygon and circle;
        properties kind ('marker', 'line', 'polygon', 'circle'), label, color, popup and radius_meters (circles) are read when present.
        Pass one or both; a part not passed stays as it is. Everything is validated first: on any problem nothing is changed and the error says what to fix.
        """)]
    public async Task<MapChangeResult> ImportMap(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Optional MapLibre style object with \"version\": 8, \"sources\" and \"layers\" (and optionally center, zoom, bearing, pitch), e.g. export_map's style.")] JsonElement? style = null,
        [Description("Optional GeoJSON FeatureCollection of annotations, e.g. export_map's annotations; each feature needs properties.id.")] JsonElement? annotations = null,
        [Description("The version export_map reported, so its answer imports as it is; not checked (if_version pins the version this map must be at).")] long? version = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default)
    {
        var import = new ImportMap(style, annotations, options.Value.MaxGeoJsonBytes) { IfVersion = if_version };
        return await sessions.ApplyAsync(session_id, import, cancellationToken);
    }

    /// <summary>
    /// Undo or redo, planned from the history at one version and pinned to it: when another change lands first, the
    /// step is planned again from the newer history (unless the agent pinned the version itself with if_version).
    /// </summary>
    private Task<MapChangeResult> StepHistoryAsync(string sessionId, long? ifVersion, Func<BufferedChanges, StepHistory> step, CancellationToken cancellationToken) =>
        sessions.ApplyAsync(
            sessionId,
            async cancellation =>
            {
                var history = await sessions.BufferedChangesAsync(sessionId, cancellation);
                var planned = step(history);
                return ifVersion is { } pinned && pinned != history.Version
                    ? throw new MapVersionConflictException(planned.Name, pinned, history.Version)
                    : planned with { IfVersion = history.Version };
            },
            replanOnConflict: ifVersion is null,
            cancellationToken);
}
