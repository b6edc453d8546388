using System.ComponentModel;
using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

[McpServerToolType]
public sealed class LayerTools(MapSessionGateway sessions)
{
    private const string LayerIdHelp = "The layer's id, as given to add_layer (see list_layers).";
    private const string StyleLayerHelp = "Optional: one style layer of this layer (ids from list_layers); omitted = every style layer it applies to.";

    /// <summary>add_layer's description; the operator's layer catalog is appended once at start-up (<see cref="LayerCatalog.AddLayerDescription"/>).</summary>
    public const string AddLayerDescription = """
        Adds a data layer to the map from a MapLibre source spec. Supported sources:
        - GeoJSON: {"type":"geojson","data":<FeatureCollection, Feature or geometry, or a URL>}
        - raster XYZ: {"type":"raster","tiles":["https://.../{z}/{x}/{y}.png"],"tileSize":256} or TileJSON {"type":"raster","url":"https://.../tiles.json"}
        - vector MVT: {"type":"vector","tiles":["https://.../{z}/{x}/{y}.pbf"]} or {"type":"vector","url":"https://.../tiles.json"}
        - PMTiles: {"type":"vector","url":"pmtiles://https://example.com/file.pmtiles"} (or "raster")
        Without `layers`, GeoJSON gets fill + outline + point circles in one colour and raster gets a raster layer; vector sources need `layers` naming a `source-layer`.
        Coordinates are [longitude, latitude]. Returns the new version; use list_layers for the style layer ids.
        """;

    [McpServerTool(Name = "add_layer", Title = "Add a data layer", Destructive = false, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description(AddLayerDescription)]
    public Task<MapChangeResult> AddLayer(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("A new id for this layer: 1-128 letters, digits, '_', '-', '.', ':'; e.g. 'parks'.")] string layer_id,
        [Description("The MapLibre source spec (see above).")] JsonElement source,
        [Description("Optional MapLibre style layer specs, e.g. [{\"type\":\"line\",\"source-layer\":\"roads\",\"paint\":{\"line-color\":\"#e11d48\",\"line-width\":2}}]; 'id' and 'source' are filled in.")] JsonElement[]? layers = null,
        [Description("Optional human title shown in the viewer's layer list and legend.")] string? title = null,
        [Description("Optional legend colour (also the default style colour), e.g. '#2563eb'.")] string? legend_color = null,
        [Description("Start hidden with false. Default true.")] bool visible = true,
        [Description("Replace an existing layer with the same id instead of failing. Default false.")] bool replace = false,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default)
    {
        return sessions.ApplyAsync(session_id, new AddLayer(layer_id, source, layers?.ToList(), title, legend_color, visible, replace) { IfVersion = if_version }, cancellationToken);
    }

    [McpServerTool(Name = "remove_layer", Title = "Remove a layer", Destructive = true, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Removes a data layer and its style layers from the map.")]
    public Task<MapChangeResult> RemoveLayer(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new RemoveLayer(layer_id) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "toggle_layer", Title = "Show or hide a layer", Destructive = false, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Shows, hides or toggles a layer for everyone watching the map.")]
    public Task<MapChangeResult> ToggleLayer(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description("'show', 'hide' or 'toggle' (default).")] string visibility = "toggle",
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new ToggleLayer(layer_id, ParseEnum<LayerVisibility>(visibility, "visibility")) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "list_layers", Title = "List layers", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Lists the map's layers bottom to top: id, title, source type, visibility, opacity, style layer ids and types, and which have filters or paint overrides.")]
    public async Task<LayerList> ListLayers(
        [Description(ToolHelp.SessionId)] string session_id,
        CancellationToken cancellationToken = default)
    {
        var state = await sessions.GetAsync(session_id, cancellationToken);
        return new LayerList(state.Version, [.. state.LayerOrder.Select(id =>
        {
            var layer = state.Layers[id];
            return new LayerSummary(
                id,
                layer.Title,
                layer.Source.GetProperty("type").GetString()!,
                layer.Visible,
                layer.Opacity,
                layer.LegendColor,
                [.. layer.Layers.Select(l => new StyleLayerSummary(
                    l.GetProperty("id").GetString()!,
                    l.GetProperty("type").GetString()!,
                    layer.Filters.ContainsKey(l.GetProperty("id").GetString()!),
                    layer.Paint.TryGetValue(l.GetProperty("id").GetString()!, out var paint) ? [.. paint.Keys] : []))]);
        })]);
    }

    [McpServerTool(Name = "filter_layer", Title = "Filter a layer", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Shows only the features matching a MapLibre filter expression, e.g. [\"==\", [\"get\", \"class\"], \"primary\"] or [\">\", [\"get\", \"population\"], 100000]. Pass filter null (or leave it out) to remove the filter.")]
    public Task<MapChangeResult> FilterLayer(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description(StyleLayerHelp)] string? style_layer_id = null,
        [Description("A MapLibre filter expression (a JSON array); null or left out removes the filter.")] JsonElement? filter = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new FilterLayer(layer_id, filter, style_layer_id) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "set_layer_paint", Title = "Set a paint property", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Sets one MapLibre paint property, e.g. property 'fill-color' value '#2563eb', 'line-width' 3, or data-driven: 'circle-color' [\"match\", [\"get\", \"type\"], \"park\", \"#16a34a\", \"#9ca3af\"]. The property name must fit the style layer type (fill-*, line-*, circle-*, raster-*, text-*/icon-* for symbol).")]
    public Task<MapChangeResult> SetLayerPaint(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description("MapLibre paint property name, e.g. 'line-color'.")] string property,
        [Description("A literal (\"#ff0000\", 2, 0.5) or a MapLibre expression array.")] JsonElement value,
        [Description(StyleLayerHelp)] string? style_layer_id = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new SetLayerPaint(layer_id, property, value, style_layer_id) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "set_layer_layout", Title = "Set a layout property", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Sets one MapLibre layout property, e.g. 'line-cap' \"round\", 'text-field' [\"get\", \"name\"], 'text-size' 14, 'visibility' \"none\".")]
    public Task<MapChangeResult> SetLayerLayout(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description("MapLibre layout property name.")] string property,
        [Description("A literal or a MapLibre expression array.")] JsonElement value,
        [Description(StyleLayerHelp)] string? style_layer_id = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new SetLayerLayout(layer_id, property, value, style_layer_id) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "set_layer_opacity", Title = "Set layer opacity", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Sets a layer's opacity from 0 (invisible) to 1 (opaque), whatever its style layer types; no MapLibre property names needed.")]
    public Task<MapChangeResult> SetLayerOpacity(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description("0..1")] double opacity,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new SetLayerOpacity(layer_id, opacity) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "reset_layer_style", Title = "Reset layer style", Destructive = true, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Removes every filter, paint and layout override set on a layer since it was added.")]
    public Task<MapChangeResult> ResetLayerStyle(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new ResetLayerStyle(layer_id) { IfVersion = if_version }, cancellationToken);

    [McpServerTool(Name = "set_layer_order", Title = "Reorder a layer", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Moves a layer to the top or bottom of the drawing order, or just above/below another layer (relative_to).")]
    public Task<MapChangeResult> SetLayerOrder(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description(LayerIdHelp)] string layer_id,
        [Description("'top', 'bottom', 'above' or 'below'.")] string position,
        [Description("For 'above'/'below': the id of the other layer.")] string? relative_to = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new MoveLayer(layer_id, ParseEnum<LayerPosition>(position, "position"), relative_to) { IfVersion = if_version }, cancellationToken);

    internal static T ParseEnum<T>(string value, string field) where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new McpException($"{field} '{value}' is not valid; use one of {string.Join(", ", Enum.GetNames<T>().Select(n => $"'{n.ToLowerInvariant()}'"))}. Nothing was changed.");
}
