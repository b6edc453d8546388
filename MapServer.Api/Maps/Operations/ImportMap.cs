using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Maps.Operations;

/// <summary>
/// Replaces the map's layers and view (<paramref name="Style"/>, a MapLibre style) and/or its annotations
/// (<paramref name="Annotations"/>, GeoJSON) with an exported map's, as one change: the style as
/// <see cref="MapStyleRenderer"/> renders it (layers grouped by source; the basemap's and the annotations' own layers
/// skipped). <paramref name="StoredSources"/> replaces style sources whose inline GeoJSON was already stored beside the
/// state (by source id).
/// </summary>
public sealed record ImportMap(
    JsonElement? Style,
    JsonElement? Annotations,
    int MaxGeoJsonBytes,
    IReadOnlyDictionary<string, StoredSource>? StoredSources = null) : MapOperation
{
    public override string Name => "import_map";

    public override IEnumerable<JsonElement> Sources() => LayerSources().Select(s => s.Source);

    public override async Task<MapOperation> WithStoredDataAsync(SourceDataStore store)
    {
        var storedSources = new Dictionary<string, StoredSource>();
        foreach (var (sourceId, source) in LayerSources())
        {
            if (await store(source, $"style.sources.{sourceId}") is { } stored)
            {
                storedSources[sourceId] = stored;
            }
        }

        return storedSources.Count == 0 ? this : this with { StoredSources = storedSources };
    }

    /// <summary>Every style source the import takes as a layer, as the reducer will read it: stored ones as their data URL.</summary>
    private IEnumerable<(string Id, JsonElement Source)> LayerSources() =>
        Style is { ValueKind: JsonValueKind.Object } style && style.TryGetProperty("sources", out var sources) && sources.ValueKind == JsonValueKind.Object
            ? sources.EnumerateObject()
                .Where(s => MapExport.IsLayerSource(s.Name))
                .Select(s => (s.Name, StoredSources?.TryGetValue(s.Name, out var stored) == true ? stored.Source : s.Value))
            : [];

    internal override MapState ApplyTo(MapState current)
    {
        var hasStyle = Given(Style);
        var hasAnnotations = Given(Annotations);
        if (!hasStyle && !hasAnnotations)
        {
            throw new MapOperationException("pass style (a MapLibre style object), annotations (a GeoJSON FeatureCollection), or both, e.g. what export_map returned.");
        }

        var state = current;
        if (hasStyle)
        {
            state = ImportStyle(state, Style!.Value, StoredSources, MaxGeoJsonBytes);
        }

        if (hasAnnotations)
        {
            state = ImportAnnotations(state, Annotations!.Value, MaxGeoJsonBytes);
        }

        return state;
    }

    /// <summary>The import's summary for history: what it replaced.</summary>
    public override string Describe()
    {
        var parts = new List<string>();
        if (Given(Style))
        {
            parts.Add($"{LayerSources().Count()} layer(s) and the view");
        }

        if (Given(Annotations))
        {
            var features = Annotations!.Value.ValueKind == JsonValueKind.Object && Annotations.Value.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.GetArrayLength()
                : 0;
            parts.Add($"{features} annotation(s)");
        }

        return $"imported {string.Join(" and ", parts)}";
    }

    private static bool Given(JsonElement? part) => part is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) };

    private static MapState ImportStyle(MapState state, JsonElement style, IReadOnlyDictionary<string, StoredSource>? storedSources, int maxGeoJsonBytes)
    {
        if (style.ValueKind != JsonValueKind.Object
            || !style.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetDouble() != 8
            || !style.TryGetProperty("sources", out var sources) || sources.ValueKind != JsonValueKind.Object
            || !style.TryGetProperty("layers", out var styleLayers) || styleLayers.ValueKind != JsonValueKind.Array)
        {
            throw new MapOperationException("style must be a MapLibre style object with \"version\": 8, a \"sources\" object and a \"layers\" array (as export_map returns it).");
        }

        var info = style.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && metadata.TryGetProperty(MapExport.Names.LayersKey, out var layersInfo) && layersInfo.ValueKind == JsonValueKind.Object
            ? layersInfo
            : default;

        // Style layers grouped by source, sources in the order of their first style layer.
        var groups = new Dictionary<string, List<JsonObject>>();
        var order = new List<string>();
        var index = 0;
        foreach (var styleLayer in styleLayers.EnumerateArray())
        {
            var at = $"style.layers[{index++}]";
            if (styleLayer.ValueKind != JsonValueKind.Object || !styleLayer.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                throw new MapOperationException($"{at} must be a MapLibre layer object with a string 'id'.");
            }

            var layerId = id.GetString()!;
            if (!styleLayer.TryGetProperty("source", out var source) || source.ValueKind != JsonValueKind.String)
            {
                if (layerId.StartsWith(MapExport.Names.BasemapPrefix, StringComparison.Ordinal))
                {
                    continue; // the basemap's background
                }

                throw new MapOperationException($"{at} ('{layerId}') draws no source; only layers drawing a source can be imported, so remove it (the basemap is set with set_basemap).");
            }

            var sourceId = source.GetString()!;
            if (!MapExport.IsLayerSource(sourceId) || layerId.StartsWith(MapExport.Names.AnnotationLayerPrefix, StringComparison.Ordinal))
            {
                continue; // basemap and annotations are imported from the basemap name and the annotations argument
            }

            if (!sources.TryGetProperty(sourceId, out _))
            {
                throw new MapOperationException($"{at} ('{layerId}') draws source '{sourceId}', which is not in style.sources.");
            }

            if (!groups.TryGetValue(sourceId, out var group))
            {
                groups[sourceId] = group = [];
                order.Add(sourceId);
            }

            var spec = JsonNode.Parse(styleLayer.GetRawText())!.AsObject();
            spec.Remove("source");
            group.Add(spec);
        }

        // Sources no style layer draws still become layers, drawn the default way.
        foreach (var source in sources.EnumerateObject())
        {
            if (!groups.ContainsKey(source.Name) && MapExport.IsLayerSource(source.Name))
            {
                groups[source.Name] = [];
                order.Add(source.Name);
            }
        }

        var next = state with { Layers = [], LayerOrder = [] };
        foreach (var sourceId in order)
        {
            var stored = storedSources?.GetValueOrDefault(sourceId);
            var source = stored?.Source ?? sources.GetProperty(sourceId);
            if (source.ValueKind == JsonValueKind.Object && source.GetRawText().Length > maxGeoJsonBytes)
            {
                throw new MapOperationException(
                    $"style.sources.{sourceId} is {source.GetRawText().Length:N0} bytes; the limit is {maxGeoJsonBytes:N0}. Host large GeoJSON at a URL and pass the URL as data.");
            }

            var layerInfo = info.ValueKind == JsonValueKind.Object && info.TryGetProperty(sourceId, out var found) && found.ValueKind == JsonValueKind.Object ? found : default;
            var specs = groups[sourceId];
            var visible = layerInfo.ValueKind == JsonValueKind.Object && layerInfo.TryGetProperty("visible", out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? v.GetBoolean()
                : specs.Count == 0 || !specs.TrueForAll(s => s["layout"]?["visibility"]?.GetValueKind() == JsonValueKind.String && (string?)s["layout"]!["visibility"] == "none");
            if (!visible)
            {
                foreach (var spec in specs)
                {
                    // Hidden by the layer's visibility: keep it out of the spec so show works later.
                    if (spec["layout"] is JsonObject layout && layout["visibility"]?.GetValueKind() == JsonValueKind.String && (string?)layout["visibility"] == "none")
                    {
                        layout.Remove("visibility");
                        if (layout.Count == 0)
                        {
                            spec.Remove("layout");
                        }
                    }
                }
            }

            try
            {
                next = new AddLayer(
                    sourceId,
                    source,
                    specs.Count == 0 ? null : [.. specs.Select(s => JsonSerializer.SerializeToElement(s, MapJsonContext.Default.JsonObject))],
                    OptionalString(layerInfo, "title"),
                    OptionalString(layerInfo, "legendColor"),
                    visible,
                    Data: stored?.Data).ApplyTo(next);
            }
            catch (MapOperationException ex)
            {
                throw new MapOperationException($"style source '{sourceId}': {ex.Message}");
            }
        }

        next = next with
        {
            Bounds = null, // the style's view replaces a fitted box
            Center = style.TryGetProperty("center", out var center) ? Numbers(center, "style.center") : next.Center,
            Zoom = OptionalNumber(style, "zoom") ?? next.Zoom,
            Bearing = OptionalNumber(style, "bearing") ?? next.Bearing,
            Pitch = OptionalNumber(style, "pitch") ?? next.Pitch,
            Basemap = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(MapExport.Names.BasemapKey, out var basemap) && basemap.ValueKind == JsonValueKind.String
                ? basemap.GetString()!
                : next.Basemap,
        };
        MapValidation.Center(next.Center);
        MapValidation.Zoom(next.Zoom);
        MapValidation.Bearing(next.Bearing);
        MapValidation.Pitch(next.Pitch);
        return next with { Basemap = MapValidation.Basemap(next.Basemap) };
    }

    private static MapState ImportAnnotations(MapState state, JsonElement annotations, int maxGeoJsonBytes)
    {
        if (annotations.ValueKind != JsonValueKind.Object || !annotations.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
            || type.GetString() != "FeatureCollection" || !annotations.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new MapOperationException("annotations must be a GeoJSON FeatureCollection: {\"type\":\"FeatureCollection\",\"features\":[...]} (as export_map returns it).");
        }

        if (annotations.GetRawText().Length > maxGeoJsonBytes)
        {
            throw new MapOperationException($"annotations is {annotations.GetRawText().Length:N0} bytes; the limit is {maxGeoJsonBytes:N0}. Import fewer or simpler features.");
        }

        GeoJson.Validate(annotations, "annotations");
        var imported = new Dictionary<string, MapAnnotation>(features.GetArrayLength(), StringComparer.Ordinal); // one dictionary: a copy per feature made 50,000 take minutes
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            var at = $"annotations.features[{index++}]";
            var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var id = OptionalString(properties, "id") ?? (feature.TryGetProperty("id", out var featureId) && featureId.ValueKind == JsonValueKind.String ? featureId.GetString() : null)
                ?? throw new MapOperationException($"{at} needs an id: a string 'id' in its properties (or on the feature).");
            if (imported.ContainsKey(id))
            {
                throw new MapOperationException($"{at}: annotation id '{id}' is used twice; give each feature its own id.");
            }

            if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind != JsonValueKind.Object)
            {
                throw new MapOperationException($"{at} needs a geometry: a Point, LineString or Polygon.");
            }

            var kindName = OptionalString(properties, "kind") ?? geometry.GetProperty("type").GetString() switch
            {
                "Point" => "marker",
                "LineString" => "line",
                "Polygon" => "polygon",
                var other => throw new MapOperationException($"{at}: a {other} geometry cannot be an annotation; use Point, LineString or Polygon."),
            };
            if (!Enum.TryParse<AnnotationKind>(kindName, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new MapOperationException($"{at}: kind '{kindName}' is unknown; use marker, line, polygon or circle.");
            }

            try
            {
                var (validId, annotation) = PutAnnotation.Valid(id, new MapAnnotation
                {
                    Kind = kind,
                    Geometry = geometry,
                    Label = OptionalString(properties, "label"),
                    Color = OptionalString(properties, "color") ?? "#e11d48",
                    Popup = OptionalString(properties, "popup"),
                    RadiusMeters = OptionalNumber(properties, "radius_meters") ?? OptionalNumber(properties, "radiusMeters"), // and as exports before 2026-12 named it
                });
                imported[validId] = annotation;
            }
            catch (MapOperationException ex)
            {
                throw new MapOperationException($"{at} ('{id}'): {ex.Message}");
            }
        }

        return state with { Annotations = imported };
    }

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new MapOperationException($"'{name}' must be a string; got {value.GetRawText()}.")
            : null;

    private static double? OptionalNumber(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new MapOperationException($"'{name}' must be a number; got {value.GetRawText()}.")
            : null;

    private static double[] Numbers(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(n => n.ValueKind == JsonValueKind.Number)
            ? [.. value.EnumerateArray().Select(n => n.GetDouble())]
            : throw new MapOperationException($"{at} must be [longitude, latitude], two numbers.");

}
