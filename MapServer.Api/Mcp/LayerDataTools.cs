using System.ComponentModel;
using System.Text.Json;
using MapServer.Api.Data;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>Tools that read a layer's data on the server, so the agent need not: describe_layer, style_layer_by_property.</summary>
[McpServerToolType]
public sealed class LayerDataTools(MapSessionGateway sessions, LayerDataStorage data)
{
    [McpServerTool(Name = "describe_layer", Title = "Describe a layer's data", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Summarises a GeoJSON layer's data without returning it, so you can style or filter data you have not read: the feature count, the
        geometry types, the bbox [west, south, east, north], and for each property its JSON types, how many features have a value (and how
        many lack one), how many distinct values, min/max/mean for numbers and the most frequent values.
        Works for GeoJSON layers whose data is on this server (GeoJSON given inline to add_layer or import_map); tile layers and GeoJSON at
        other URLs are read by the viewers' browsers, not by this server.
        """)]
    public async Task<LayerDescription> DescribeLayer(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("The layer's id, as given to add_layer (see list_layers).")] string layer_id,
        [Description("How many of each property's most frequent values to list, 0..50. Default 10.")] int top_values = 10,
        CancellationToken cancellationToken = default)
    {
        var top = (int)MapValidation.InRange(top_values, 0, 50, "top_values", "how many frequent values to list per property");
        var state = await sessions.GetAsync(session_id, cancellationToken);
        using var geojson = await ReadGeoJsonAsync(session_id, state, layer_id, cancellationToken);
        var profile = LayerProfile.Of(geojson.RootElement, top);
        return new LayerDescription(layer_id, state.Version, profile.Features, profile.GeometryTypes, profile.Bbox, profile.Properties);
    }

    [McpServerTool(Name = "style_layer_by_property", Title = "Colour a layer by a property", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Colours a GeoJSON layer by one of its properties, with classes computed from the layer's data on the server: 'categorical' gives each of
        the most frequent values its own colour (the rest 'Other'); 'quantile' (each class holds about as many features) or 'equal_interval'
        (each class spans as much of min..max) splits numbers into classes. The colour is set on each of the layer's style layers drawn in a
        colour (fill, line, circle, fill-extrusion, symbol text), as one change that undo reverts, and every viewer's legend lists the classes.
        Palettes: categorical okabe_ito (colour-blind safe; the default for categories) or tableau10; sequential viridis (colour-blind safe; the
        default for numbers), cividis (colour-blind safe), blues, greens, reds, oranges, purples.
        Returns the new version and the classes with their colours. describe_layer lists the properties and their types.
        """)]
    public async Task<PropertyStyleResult> StyleLayerByProperty(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("The layer's id, as given to add_layer (see list_layers).")] string layer_id,
        [Description("The feature property to colour by, e.g. 'population' or 'kind'.")] string property,
        [Description("'categorical', 'quantile' or 'equal_interval'. Default: categorical when most values are not numbers, else quantile.")] string? method = null,
        [Description("How many classes (categorical: how many most frequent values get their own colour), 2..10. Default 5.")] int classes = 5,
        [Description("A palette name (see above). Default okabe_ito for categories, viridis for numbers.")] string? palette = null,
        [Description("Optional: colour one style layer of this layer only (ids from list_layers).")] string? style_layer_id = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default)
    {
        var count = (int)MapValidation.InRange(classes, 2, 10, "classes", "how many classes");
        var state = await sessions.GetAsync(session_id, cancellationToken);
        using var geojson = await ReadGeoJsonAsync(session_id, state, layer_id, cancellationToken);
        var values = PropertyValues(geojson.RootElement, property).ToList();
        if (values.Count == 0)
        {
            throw new MapOperationException($"no feature of layer '{layer_id}' has a property '{property}'; describe_layer lists the properties there are.");
        }

        var chosen = method ?? (values.Count(v => v.ValueKind == JsonValueKind.Number) * 2 > values.Count ? "quantile" : "categorical");
        var coloring = chosen == "categorical"
            ? PropertyColoring.Categorical(property, values, count, CategoricalPalette(palette ?? "okabe_ito", count))
            : PropertyColoring.Numeric(property, values, count, chosen, SequentialPalette(palette ?? "viridis"));
        var change = await sessions.ApplyAsync(session_id, new ColorLayerBy(layer_id, property, coloring.Expression, style_layer_id) { IfVersion = if_version }, cancellationToken);
        return new PropertyStyleResult(change.SessionId, change.Version, change.Summary, chosen, coloring.Classes);
    }

    /// <summary>The layer's GeoJSON as this server holds it: stored beside the state, or inline in its source.</summary>
    private async Task<JsonDocument> ReadGeoJsonAsync(string sessionId, MapState state, string layerId, CancellationToken cancellationToken)
    {
        if (!state.Layers.TryGetValue(layerId, out var layer))
        {
            throw new MapOperationException($"layer '{layerId}' is not on the map; list_layers shows the layers there are.");
        }

        var source = layer.Source;
        var type = source.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type != "geojson")
        {
            throw new MapOperationException($"layer '{layerId}' is a {type ?? "typeless"} layer: its data is in tiles the viewers' browsers fetch. Only GeoJSON layers can be read here.");
        }

        if (layer.Data is { } stored)
        {
            var json = await data.ReadAsync(sessionId, stored, cancellationToken)
                ?? throw new MapOperationException($"layer '{layerId}''s data is no longer stored (the session may have expired); add the layer again.");
            return JsonDocument.Parse(json);
        }

        return source.TryGetProperty("data", out var inline) && inline.ValueKind == JsonValueKind.Object
            ? JsonDocument.Parse(inline.GetRawText())
            : throw new MapOperationException(
                $"layer '{layerId}''s GeoJSON is at {(source.TryGetProperty("data", out var url) ? url.GetRawText() : "no URL")}, which the viewers' browsers fetch and this server does not. Pass the GeoJSON itself to add_layer to read it here.");
    }

    private static IEnumerable<JsonElement> PropertyValues(JsonElement geojson, string property) =>
        (geojson.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array ? features.EnumerateArray().ToList() : [geojson])
            .Where(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty(property, out _))
            .Select(f => f.GetProperty("properties").GetProperty(property))
            .Where(v => v.ValueKind != JsonValueKind.Null);

    private static string[] CategoricalPalette(string name, int classes) =>
        Palettes.Categorical.TryGetValue(name, out var categorical) ? categorical
        : Palettes.Sequential.TryGetValue(name, out var sequential) ? Palettes.Spread(sequential, classes)
        : throw new MapOperationException($"palette '{name}' is unknown; use one of {Palettes.Names}.");

    private static string[] SequentialPalette(string name) =>
        Palettes.Sequential.TryGetValue(name, out var sequential) ? sequential
        : Palettes.Categorical.ContainsKey(name)
            ? throw new MapOperationException($"palette '{name}' is for categories; numbers in classes need a sequential palette: {string.Join(", ", Palettes.Sequential.Keys)}.")
            : throw new MapOperationException($"palette '{name}' is unknown; use one of {Palettes.Names}.");
}
