using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Maps.Operations;

/// <summary>
/// Adds a data layer; with <paramref name="Replace"/>, replaces one with the same id. <paramref name="Data"/> is the
/// GeoJSON stored beside the state that the source's data URL points at; <paramref name="GeometryTypes"/>, when the
/// data's geometry types are known (an imported file), lets the default style draw only those.
/// </summary>
public sealed record AddLayer(
    string LayerId,
    JsonElement Source,
    List<JsonElement>? Layers = null,
    string? Title = null,
    string? LegendColor = null,
    bool Visible = true,
    bool Replace = false,
    LayerData? Data = null,
    IReadOnlyCollection<string>? GeometryTypes = null) : MapOperation
{
    public override string Name => "add_layer";

    public override string Describe() => $"{(Replace ? "replaced" : "added")} layer '{LayerId}'";

    public override IEnumerable<JsonElement> Sources() => [Source];

    /// <summary>Inline GeoJSON is stored; a layer an import made (<see cref="Data"/> given) was stored by that import.</summary>
    public override async Task<MapOperation> WithStoredDataAsync(SourceDataStore store) =>
        Data is null && await store(Source, "source") is { } stored ? this with { Source = stored.Source, Data = stored.Data } : this;

    internal override MapState ApplyTo(MapState state)
    {
        var layerId = MapValidation.Id(LayerId, "layer_id");
        var exists = state.Layers.ContainsKey(layerId);
        if (exists && !Replace)
        {
            throw new MapOperationException($"layer '{layerId}' already exists; pick another id, pass replace=true, or call remove_layer first.");
        }

        MapValidation.Source(Source);
        var sourceType = Source.GetProperty("type").GetString()!;
        var legendColor = LegendColor is null ? Palettes.Legend[state.Layers.Count % Palettes.Legend.Length] : MapValidation.Color(LegendColor, "legend_color");
        var specs = Layers is { Count: > 0 } given ? given : DefaultStyleLayers(sourceType, legendColor, layerId, GeometryTypes);

        var otherStyleLayerIds = state.Layers.Where(l => l.Key != layerId).SelectMany(l => LayerEdits.StyleLayerIds(l.Value)).ToHashSet();
        var styleLayers = new List<JsonElement>(specs.Count);
        for (var i = 0; i < specs.Count; i++)
        {
            MapValidation.StyleLayer(specs[i], sourceType, i);
            var spec = JsonNode.Parse(specs[i].GetRawText())!.AsObject();
            var styleLayerId = spec["id"]?.GetValue<string>() ?? $"{layerId}-{spec["type"]!.GetValue<string>()}";
            if (!otherStyleLayerIds.Add(styleLayerId))
            {
                styleLayerId = $"{styleLayerId}-{i}";
                if (!otherStyleLayerIds.Add(styleLayerId))
                {
                    throw new MapOperationException($"layers[{i}].id '{styleLayerId}' is already used on this map; give each style layer a unique id.");
                }
            }

            spec["id"] = styleLayerId;
            spec["source"] = layerId;
            styleLayers.Add(JsonSerializer.SerializeToElement(spec, MapJsonContext.Default.JsonObject));
        }

        var layer = new MapLayer
        {
            Source = Source.Clone(),
            Data = Data,
            Layers = styleLayers,
            Visible = Visible,
            Title = Title,
            LegendColor = legendColor,
        };
        return state with
        {
            Layers = new(state.Layers) { [layerId] = layer },
            LayerOrder = exists ? state.LayerOrder : [.. state.LayerOrder, layerId],
        };
    }

    /// <summary>
    /// A sensible way to draw a source when the caller gives no style layers; for GeoJSON whose geometry types are known,
    /// only the style layers those types need (points: circles, lines: lines, polygons: a fill and its outline).
    /// MapLibre tells Multi* geometries apart in ["geometry-type"], so each filter names both forms.
    /// </summary>
    private static List<JsonElement> DefaultStyleLayers(string sourceType, string color, string layerId, IReadOnlyCollection<string>? geometryTypes)
    {
        bool Holds(params string[] types) => geometryTypes is null || types.Any(geometryTypes.Contains);
        string[] json = sourceType switch
        {
            "raster" or "image" => ["""{"type":"raster"}"""],
            "raster-dem" => ["""{"type":"hillshade"}"""],
            "geojson" =>
            [
                .. Holds("Polygon", "MultiPolygon", "GeometryCollection")
                    ? [$$$"""{"type":"fill","filter":["in",["geometry-type"],["literal",["Polygon","MultiPolygon"]]],"paint":{"fill-color":"{{{color}}}","fill-opacity":0.35}}"""]
                    : Array.Empty<string>(),
                .. Holds("LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection")
                    ? [$$$"""{"type":"line","filter":["in",["geometry-type"],["literal",["LineString","MultiLineString","Polygon","MultiPolygon"]]],"paint":{"line-color":"{{{color}}}","line-width":2}}"""]
                    : Array.Empty<string>(),
                .. Holds("Point", "MultiPoint", "GeometryCollection")
                    ? [$$$"""{"type":"circle","filter":["in",["geometry-type"],["literal",["Point","MultiPoint"]]],"paint":{"circle-color":"{{{color}}}","circle-radius":6,"circle-stroke-color":"#ffffff","circle-stroke-width":1.5}}"""]
                    : Array.Empty<string>(),
            ],
            _ => throw new MapOperationException(
                $"a vector source needs explicit layers for '{layerId}': pass layers such as [{{\"type\":\"line\",\"source-layer\":\"roads\",\"paint\":{{\"line-color\":\"#e11d48\"}}}}] naming a source-layer inside the tiles."),
        };
        return [.. json.Select(j => JsonDocument.Parse(j).RootElement.Clone())];
    }
}
