using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Maps;

/// <summary>
/// A session as portable documents, and back: the annotations as one GeoJSON FeatureCollection and a
/// MapLibre style (version 8) drawing the basemap, every layer as the viewer draws it (overrides, opacity
/// and visibility baked in) and the annotations. Pure.
/// </summary>
public static class MapExport
{
    public const string BasemapSource = "basemap-raster";
    public const string AnnotationSource = "mapserver-annotations";
    private const string ReservedPrefix = "basemap-";
    private const string AnnotationLayerPrefix = "mapserver-annotation-";
    private const string BasemapKey = "mapserver:basemap";
    private const string LayersKey = "mapserver:layers";

    /// <summary>Metres per pixel at zoom 0 on the equator (512-pixel world).</summary>
    private const double MetersPerPixelAtZoom0 = 40_075_016.686 / 512;

    /// <summary>The raster tiles of each basemap that has them (the same as the viewer's).</summary>
    private static readonly Dictionary<string, (string[] Tiles, int MaxZoom, string Attribution)> RasterBasemaps = new()
    {
        ["streets"] = (["https://tile.openstreetmap.org/{z}/{x}/{y}.png"], 19, "© OpenStreetMap contributors"),
        ["topo"] = (["https://a.tile.opentopomap.org/{z}/{x}/{y}.png", "https://b.tile.opentopomap.org/{z}/{x}/{y}.png", "https://c.tile.opentopomap.org/{z}/{x}/{y}.png"], 17,
            "© OpenStreetMap contributors, SRTM | © OpenTopoMap (CC-BY-SA)"),
        ["satellite"] = (["https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}"], 19, "Imagery © Esri, Maxar, Earthstar Geographics"),
    };

    /// <summary>Paint properties that carry a style layer's opacity, by layer type (as the viewer applies them).</summary>
    private static readonly Dictionary<string, string[]> OpacityPaint = new()
    {
        ["fill"] = ["fill-opacity"],
        ["line"] = ["line-opacity"],
        ["circle"] = ["circle-opacity", "circle-stroke-opacity"],
        ["symbol"] = ["icon-opacity", "text-opacity"],
        ["raster"] = ["raster-opacity"],
        ["fill-extrusion"] = ["fill-extrusion-opacity"],
        ["heatmap"] = ["heatmap-opacity"],
        ["background"] = ["background-opacity"],
        ["color-relief"] = ["color-relief-opacity"],
    };

    /// <summary>The annotations as a FeatureCollection; each feature's properties: id, kind, label, color, popup, radiusMeters.</summary>
    public static JsonObject Annotations(MapState state) => new()
    {
        ["type"] = "FeatureCollection",
        ["features"] = new JsonArray([.. state.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => (JsonNode)Feature(a.Key, a.Value))]),
    };

    private static JsonObject Feature(string id, MapAnnotation annotation)
    {
        var properties = new JsonObject
        {
            ["id"] = id,
            ["kind"] = annotation.Kind.ToString().ToLowerInvariant(),
            ["color"] = annotation.Color,
        };
        if (annotation.Label is not null)
        {
            properties["label"] = annotation.Label;
        }

        if (annotation.Popup is not null)
        {
            properties["popup"] = annotation.Popup;
        }

        if (annotation.RadiusMeters is { } radius)
        {
            properties["radiusMeters"] = radius;
        }

        return new JsonObject { ["type"] = "Feature", ["id"] = id, ["geometry"] = Node(annotation.Geometry), ["properties"] = properties };
    }

    /// <summary>A MapLibre style that renders the map as the viewer does.</summary>
    public static JsonObject Style(MapState state)
    {
        var sources = new JsonObject();
        var layers = new JsonArray { new JsonObject { ["id"] = "basemap-background", ["type"] = "background", ["paint"] = new JsonObject { ["background-color"] = "#eef2f6" } } };
        if (RasterBasemaps.TryGetValue(state.Basemap, out var raster))
        {
            sources[BasemapSource] = new JsonObject
            {
                ["type"] = "raster",
                ["tiles"] = new JsonArray([.. raster.Tiles.Select(t => (JsonNode)t)]),
                ["tileSize"] = 256,
                ["maxzoom"] = raster.MaxZoom,
                ["attribution"] = raster.Attribution,
            };
            layers.Add(new JsonObject { ["id"] = BasemapSource, ["type"] = "raster", ["source"] = BasemapSource });
        }

        var layerInfo = new JsonObject();
        foreach (var layerId in state.LayerOrder.Where(state.Layers.ContainsKey))
        {
            var layer = state.Layers[layerId];
            sources[layerId] = Node(layer.Source);
            foreach (var spec in layer.Layers)
            {
                layers.Add(EffectiveStyleLayer(spec, layer));
            }

            var info = new JsonObject { ["visible"] = layer.Visible };
            if (layer.Title is not null)
            {
                info["title"] = layer.Title;
            }

            if (layer.LegendColor is not null)
            {
                info["legendColor"] = layer.LegendColor;
            }

            layerInfo[layerId] = info;
        }

        sources[AnnotationSource] = new JsonObject { ["type"] = "geojson", ["data"] = AnnotationsForDrawing(state) };
        foreach (var annotationLayer in AnnotationLayers())
        {
            layers.Add(annotationLayer);
        }

        return new JsonObject
        {
            ["version"] = 8,
            ["name"] = "MapServer map",
            ["metadata"] = new JsonObject { [BasemapKey] = state.Basemap, [LayersKey] = layerInfo },
            ["center"] = new JsonArray(state.Center[0], state.Center[1]),
            ["zoom"] = state.Zoom,
            ["bearing"] = state.Bearing,
            ["pitch"] = state.Pitch,
            ["glyphs"] = "https://demotiles.maplibre.org/font/{fontstack}/{range}.pbf",
            ["sources"] = sources,
            ["layers"] = layers,
        };
    }

    /// <summary>A style layer as the viewer draws it: spec plus filter, paint and layout overrides, opacity and visibility.</summary>
    private static JsonObject EffectiveStyleLayer(JsonElement spec, MapLayer layer)
    {
        var result = Node(spec).AsObject();
        var id = spec.GetProperty("id").GetString()!;
        var type = spec.GetProperty("type").GetString()!;
        var paint = result["paint"] as JsonObject ?? [];
        var layout = result["layout"] as JsonObject ?? [];
        foreach (var (property, value) in layer.Paint.GetValueOrDefault(id) ?? [])
        {
            paint[property] = Node(value);
        }

        foreach (var (property, value) in layer.Layout.GetValueOrDefault(id) ?? [])
        {
            layout[property] = Node(value);
        }

        if (layer.Opacity != 1)
        {
            foreach (var property in OpacityPaint.GetValueOrDefault(type) ?? [])
            {
                paint[property] = paint[property] is JsonValue number && number.TryGetValue<double>(out var baseValue) ? baseValue * layer.Opacity : layer.Opacity;
            }
        }

        if (!layer.Visible)
        {
            layout["visibility"] = "none";
        }

        if (layer.Filters.TryGetValue(id, out var filter))
        {
            result["filter"] = Node(filter);
        }

        result.Remove("paint");
        result.Remove("layout");
        if (paint.Count > 0)
        {
            result["paint"] = paint;
        }

        if (layout.Count > 0)
        {
            result["layout"] = layout;
        }

        return result;
    }

    /// <summary>The annotations with, for circles, their radius in pixels at zoom 0 so a style can scale them with the zoom.</summary>
    private static JsonObject AnnotationsForDrawing(MapState state)
    {
        var collection = Annotations(state);
        foreach (var feature in collection["features"]!.AsArray().Select(f => f!.AsObject()))
        {
            var properties = feature["properties"]!.AsObject();
            if (properties["radiusMeters"] is JsonValue radius && properties["kind"]!.GetValue<string>() == "circle")
            {
                var latitude = feature["geometry"]!["coordinates"]![1]!.GetValue<double>();
                var metersPerPixel = MetersPerPixelAtZoom0 * Math.Max(Math.Cos(latitude * Math.PI / 180), 1e-6);
                properties["radiusPixelsAtZoom0"] = radius.GetValue<double>() / metersPerPixel;
            }
        }

        return collection;
    }

    private static IEnumerable<JsonObject> AnnotationLayers()
    {
        string[] json =
        [
            """{"id":"mapserver-annotation-fill","type":"fill","source":"mapserver-annotations","filter":["==",["get","kind"],"polygon"],"paint":{"fill-color":["get","color"],"fill-opacity":0.25}}""",
            """{"id":"mapserver-annotation-line","type":"line","source":"mapserver-annotations","filter":["in",["get","kind"],["literal",["line","polygon"]]],"paint":{"line-color":["get","color"],"line-width":3},"layout":{"line-join":"round","line-cap":"round"}}""",
            """{"id":"mapserver-annotation-circle","type":"circle","source":"mapserver-annotations","filter":["==",["get","kind"],"circle"],"paint":{"circle-color":["get","color"],"circle-opacity":0.2,"circle-stroke-color":["get","color"],"circle-stroke-width":2,"circle-pitch-alignment":"map","circle-radius":["interpolate",["exponential",2],["zoom"],0,["get","radiusPixelsAtZoom0"],24,["*",["get","radiusPixelsAtZoom0"],16777216]]}}""",
            """{"id":"mapserver-annotation-marker","type":"circle","source":"mapserver-annotations","filter":["==",["get","kind"],"marker"],"paint":{"circle-color":["get","color"],"circle-radius":7,"circle-stroke-color":"#ffffff","circle-stroke-width":2}}""",
            """{"id":"mapserver-annotation-label","type":"symbol","source":"mapserver-annotations","filter":["has","label"],"layout":{"text-field":["get","label"],"text-size":13,"text-offset":[0,1.2],"text-anchor":"top"},"paint":{"text-color":"#111827","text-halo-color":"#ffffff","text-halo-width":1.5}}""",
        ];
        return json.Select(j => JsonNode.Parse(j)!.AsObject());
    }

    /// <summary>
    /// The state an import produces: from <paramref name="style"/> the view, basemap and layers (one layer per
    /// source, its style layers in style order, layers ordered by their first style layer); from
    /// <paramref name="annotations"/> every annotation. A part not given stays as it is in <paramref name="current"/>.
    /// Everything passes the reducer's own validation; the first problem throws <see cref="MapOperationException"/>.
    /// </summary>
    public static MapState Import(MapState current, ImportMap import)
    {
        var hasStyle = Given(import.Style);
        var hasAnnotations = Given(import.Annotations);
        if (!hasStyle && !hasAnnotations)
        {
            throw new MapOperationException("pass style (a MapLibre style object), annotations (a GeoJSON FeatureCollection), or both, e.g. what export_map returned.");
        }

        var state = current;
        if (hasStyle)
        {
            state = ImportStyle(state, import.Style!.Value, import.StoredSources, import.MaxGeoJsonBytes);
        }

        if (hasAnnotations)
        {
            state = ImportAnnotations(state, import.Annotations!.Value, import.MaxGeoJsonBytes);
        }

        return state;
    }

    /// <summary>The import's summary for history: what it replaced.</summary>
    public static string Describe(ImportMap import)
    {
        var parts = new List<string>();
        if (Given(import.Style))
        {
            parts.Add($"{import.Sources().Count(s => s.Id != AnnotationSource && !s.Id.StartsWith(ReservedPrefix, StringComparison.Ordinal))} layer(s) and the view");
        }

        if (Given(import.Annotations))
        {
            var features = import.Annotations!.Value.ValueKind == JsonValueKind.Object && import.Annotations.Value.TryGetProperty("features", out var f) && f.ValueKind == JsonValueKind.Array
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
            && metadata.TryGetProperty(LayersKey, out var layersInfo) && layersInfo.ValueKind == JsonValueKind.Object
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
                if (layerId.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                {
                    continue; // the basemap's background
                }

                throw new MapOperationException($"{at} ('{layerId}') draws no source; only layers drawing a source can be imported, so remove it (the basemap is set with set_basemap).");
            }

            var sourceId = source.GetString()!;
            if (sourceId == AnnotationSource || sourceId.StartsWith(ReservedPrefix, StringComparison.Ordinal) || layerId.StartsWith(AnnotationLayerPrefix, StringComparison.Ordinal))
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
            if (!groups.ContainsKey(source.Name) && source.Name != AnnotationSource && !source.Name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
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
                next = MapReducer.Apply(next, new AddLayer(
                    sourceId,
                    source,
                    specs.Count == 0 ? null : [.. specs.Select(s => JsonSerializer.SerializeToElement(s, MapJsonContext.Default.JsonObject))],
                    OptionalString(layerInfo, "title"),
                    OptionalString(layerInfo, "legendColor"),
                    visible,
                    Data: stored?.Data));
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
            Basemap = metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty(BasemapKey, out var basemap) && basemap.ValueKind == JsonValueKind.String
                ? basemap.GetString()!
                : next.Basemap,
        };
        MapValidation.Center(next.Center);
        MapValidation.Zoom(next.Zoom);
        MapValidation.Bearing(next.Bearing);
        MapValidation.Pitch(next.Pitch);
        return MapReducer.Apply(next, new SetBasemap(next.Basemap));
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
        var next = state with { Annotations = [] };
        var index = 0;
        foreach (var feature in features.EnumerateArray())
        {
            var at = $"annotations.features[{index++}]";
            var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
            var id = OptionalString(properties, "id") ?? (feature.TryGetProperty("id", out var featureId) && featureId.ValueKind == JsonValueKind.String ? featureId.GetString() : null)
                ?? throw new MapOperationException($"{at} needs an id: a string 'id' in its properties (or on the feature).");
            if (next.Annotations.ContainsKey(id))
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
                next = MapReducer.Apply(next, new PutAnnotation(id, new MapAnnotation
                {
                    Kind = kind,
                    Geometry = geometry,
                    Label = OptionalString(properties, "label"),
                    Color = OptionalString(properties, "color") ?? "#e11d48",
                    Popup = OptionalString(properties, "popup"),
                    RadiusMeters = OptionalNumber(properties, "radiusMeters"),
                }));
            }
            catch (MapOperationException ex)
            {
                throw new MapOperationException($"{at} ('{id}'): {ex.Message}");
            }
        }

        return next;
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

    private static JsonNode Node(JsonElement element) => JsonNode.Parse(element.GetRawText())!;
}
