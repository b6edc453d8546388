using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Maps;

/// <summary>
/// The one place where map state changes: (state, operation) -> next state, version + 1.
/// Pure: no I/O, no clock. An invalid operation throws <see cref="MapOperationException"/> and changes nothing.
/// </summary>
public static class MapReducer
{
    /// <summary>Nominal viewport used to turn a bounding box into a zoom; viewers refit to their own size.</summary>
    private const double NominalWidth = 1024, NominalHeight = 768;

    private static readonly string[] Palette = ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2"];

    public static MapState Apply(MapState state, MapOperation operation)
    {
        if (operation.IfVersion is { } expected && expected != state.Version)
        {
            throw new MapVersionConflictException(operation.Name, expected, state.Version);
        }

        var next = operation switch
        {
            SetView op => ApplySetView(state, op),
            FitBounds op => ApplyFitBounds(state, op),
            SetBasemap op => Basemaps.All.ContainsKey(op.Basemap)
                ? state with { Basemap = op.Basemap }
                : throw new MapOperationException($"basemap '{op.Basemap}' is unknown; use one of {string.Join(", ", Basemaps.All.Keys)}."),
            AddLayer op => ApplyAddLayer(state, op),
            ImportLayers op => op.Layers.Count == 0
                ? throw new MapOperationException($"'{op.FileName}' brought no layers.")
                : op.Layers.Aggregate(state, ApplyAddLayer),
            RemoveLayer op => WithoutLayer(state, ExistingLayer(state, op.LayerId).Id),
            ToggleLayer op => WithLayer(state, op.LayerId, layer => layer with
            {
                Visible = op.Visibility switch
                {
                    LayerVisibility.Show => true,
                    LayerVisibility.Hide => false,
                    _ => !layer.Visible,
                },
            }),
            FilterLayer op => WithLayer(state, op.LayerId, layer => ApplyFilter(layer, op)),
            SetLayerPaint op => WithLayer(state, op.LayerId, layer => layer with
            {
                Paint = WithProperty(layer, layer.Paint, op.StyleLayerId, op.Property, op.Value, "paint"),
            }),
            ColorLayerBy op => WithLayer(state, op.LayerId, layer => ApplyColorBy(layer, op)),
            SetLayerLayout op => WithLayer(state, op.LayerId, layer => layer with
            {
                Layout = WithProperty(layer, layer.Layout, op.StyleLayerId, op.Property, op.Value, "layout"),
            }),
            SetLayerOpacity op => WithLayer(state, op.LayerId, layer => layer with { Opacity = MapValidation.Opacity(op.Opacity) }),
            ResetLayerStyle op => WithLayer(state, op.LayerId, layer => layer with { Filters = [], Paint = [], Layout = [] }),
            MoveLayer op => ApplyMoveLayer(state, op),
            PutAnnotation op => ApplyPutAnnotation(state, op),
            RemoveAnnotation op => state.Annotations.ContainsKey(op.AnnotationId)
                ? state with { Annotations = Without(state.Annotations, op.AnnotationId) }
                : throw new MapOperationException($"annotation '{op.AnnotationId}' does not exist; call get_map_state to see the annotation ids."),
            ClearMap => state with { Layers = [], LayerOrder = [], Annotations = [] },
            ImportMap op => MapExport.Import(state, op),
            StepHistory op => Validated(Patched(state, op.Patch)),
            _ => throw new MapOperationException($"operation '{operation.Name}' is not supported."),
        };
        return next with { Version = state.Version + 1 };
    }

    private static MapState ApplySetView(MapState state, SetView op)
    {
        if (op is { Center: null, Zoom: null, Bearing: null, Pitch: null })
        {
            throw new MapOperationException("set_map_view needs at least one of center, zoom, bearing or pitch.");
        }

        return state with
        {
            Bounds = null, // a view set by hand replaces the fitted box
            Center = op.Center is null ? state.Center : MapValidation.Center(op.Center),
            Zoom = op.Zoom is { } zoom ? MapValidation.Zoom(zoom) : state.Zoom,
            Bearing = op.Bearing is { } bearing ? MapValidation.Bearing(bearing) : state.Bearing,
            Pitch = op.Pitch is { } pitch ? MapValidation.Pitch(pitch) : state.Pitch,
        };
    }

    private static MapState ApplyFitBounds(MapState state, FitBounds op)
    {
        var (west, south, east, north) = MapValidation.Bbox(op.Bbox) switch { var b => (b[0], b[1], b[2], b[3]) };
        var padding = MapValidation.InRange(op.Padding, 0, 300, "padding", "pixels of margin around the box");
        var lonSpan = east >= west ? east - west : east + 360 - west;
        var (top, bottom) = (MercatorY(north), MercatorY(south));
        var zoomX = Math.Log2((NominalWidth - 2 * padding) / 512 * 360 / Math.Max(lonSpan, 1e-9));
        var zoomY = Math.Log2((NominalHeight - 2 * padding) / 512 / Math.Max(Math.Abs(top - bottom), 1e-12));
        var zoom = Math.Clamp(Math.Min(zoomX, zoomY), 0, 22);
        var centerLon = west + lonSpan / 2;
        return state with
        {
            // The middle of the box on the Mercator map (not the mean latitude), as MapLibre's fitBounds centres it.
            Center = [centerLon > 180 ? centerLon - 360 : centerLon, Math.Round(Latitude((top + bottom) / 2), 6)],
            Zoom = Math.Round(zoom, 2),
            Bounds = new FittedBounds([west, south, east, north], (int)padding),
        };
    }

    /// <summary>The latitude at Web Mercator y in [0, 1].</summary>
    private static double Latitude(double mercatorY) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * mercatorY))) * 180 / Math.PI;

    /// <summary>Web Mercator y in [0, 1] for a latitude.</summary>
    private static double MercatorY(double latitude)
    {
        var sin = Math.Sin(Math.Clamp(latitude, -85.05, 85.05) * Math.PI / 180);
        return 0.5 - Math.Log((1 + sin) / (1 - sin)) / (4 * Math.PI);
    }

    private static MapState ApplyAddLayer(MapState state, AddLayer op)
    {
        var layerId = MapValidation.Id(op.LayerId, "layer_id");
        var exists = state.Layers.ContainsKey(layerId);
        if (exists && !op.Replace)
        {
            throw new MapOperationException($"layer '{layerId}' already exists; pick another id, pass replace=true, or call remove_layer first.");
        }

        MapValidation.Source(op.Source);
        var sourceType = op.Source.GetProperty("type").GetString()!;
        var legendColor = op.LegendColor is null ? Palette[state.Layers.Count % Palette.Length] : MapValidation.Color(op.LegendColor, "legend_color");
        var specs = op.Layers is { Count: > 0 } given ? given : DefaultStyleLayers(sourceType, legendColor, layerId, op.GeometryTypes);

        var otherStyleLayerIds = state.Layers.Where(l => l.Key != layerId).SelectMany(l => StyleLayerIds(l.Value)).ToHashSet();
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
            Source = op.Source.Clone(),
            Data = op.Data,
            Layers = styleLayers,
            Visible = op.Visible,
            Title = op.Title,
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
    private static List<JsonElement> DefaultStyleLayers(string sourceType, string color, string layerId, IReadOnlyCollection<string>? geometryTypes = null)
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

    private static MapLayer ApplyFilter(MapLayer layer, FilterLayer op)
    {
        var targets = TargetStyleLayers(layer, op.StyleLayerId);
        var filters = new Dictionary<string, JsonElement>(layer.Filters);
        foreach (var target in targets)
        {
            if (op.Filter is { } filter && filter.ValueKind != JsonValueKind.Null)
            {
                MapValidation.Filter(filter);
                filters[target] = filter.Clone();
            }
            else
            {
                filters.Remove(target);
            }
        }

        return layer with { Filters = filters };
    }

    private static Dictionary<string, Dictionary<string, JsonElement>> WithProperty(
        MapLayer layer, Dictionary<string, Dictionary<string, JsonElement>> overrides, string? styleLayerId, string property, JsonElement value, string kind)
    {
        MapValidation.PropertyName(property, "property");
        var targets = TargetStyleLayers(layer, styleLayerId)
            .Where(id => property == "visibility" || AppliesTo(property, StyleLayerType(layer, id)))
            .ToList();
        if (targets.Count == 0)
        {
            var types = string.Join(", ", layer.Layers.Select(l => l.GetProperty("type").GetString()).Distinct());
            throw new MapOperationException(
                $"{kind} property '{property}' does not apply to this layer's style layers (types: {types}); use a property that starts with one of those types, e.g. '{layer.Layers[0].GetProperty("type").GetString()}-color'.");
        }

        if (value.ValueKind is JsonValueKind.Undefined)
        {
            throw new MapOperationException($"value is required: a literal such as \"#ff0000\" or 2, or a MapLibre expression array.");
        }

        var result = new Dictionary<string, Dictionary<string, JsonElement>>(overrides);
        foreach (var target in targets)
        {
            result[target] = new Dictionary<string, JsonElement>(overrides.GetValueOrDefault(target) ?? []) { [property] = value.Clone() };
        }

        return result;
    }

    private static MapLayer ApplyColorBy(MapLayer layer, ColorLayerBy op)
    {
        var targets = TargetStyleLayers(layer, op.StyleLayerId).Select(id => (Id: id, Property: ColorProperty(StyleLayerType(layer, id)))).Where(t => t.Property is not null).ToList();
        if (targets.Count == 0)
        {
            throw new MapOperationException($"layer '{op.LayerId}' has no style layer drawn in a colour (fill, line, circle, fill-extrusion or symbol) to colour by '{op.Property}'.");
        }

        var paint = layer.Paint;
        foreach (var (id, property) in targets)
        {
            paint = WithProperty(layer with { Paint = paint }, paint, id, property!, op.Color, "paint");
        }

        return layer with { Paint = paint };
    }

    /// <summary>The paint property that colours a style layer of this type, if one does.</summary>
    private static string? ColorProperty(string type) => type switch
    {
        "fill" or "line" or "circle" or "fill-extrusion" => $"{type}-color",
        "symbol" => "text-color",
        _ => null,
    };

    /// <summary>MapLibre paint and layout names start with the style layer type (symbol: icon-/text-/symbol-).</summary>
    private static bool AppliesTo(string property, string type) => type switch
    {
        "symbol" => property.StartsWith("icon-", StringComparison.Ordinal) || property.StartsWith("text-", StringComparison.Ordinal) || property.StartsWith("symbol-", StringComparison.Ordinal),
        "fill" => property.StartsWith("fill-", StringComparison.Ordinal) && !property.StartsWith("fill-extrusion-", StringComparison.Ordinal),
        _ => property.StartsWith(type + "-", StringComparison.Ordinal),
    };

    private static List<string> TargetStyleLayers(MapLayer layer, string? styleLayerId)
    {
        var ids = StyleLayerIds(layer).ToList();
        if (styleLayerId is null)
        {
            return ids;
        }

        return ids.Contains(styleLayerId)
            ? [styleLayerId]
            : throw new MapOperationException($"style layer '{styleLayerId}' is not part of this layer; its style layers are: {string.Join(", ", ids)}.");
    }

    private static string StyleLayerType(MapLayer layer, string styleLayerId) =>
        layer.Layers.First(l => l.GetProperty("id").GetString() == styleLayerId).GetProperty("type").GetString()!;

    private static IEnumerable<string> StyleLayerIds(MapLayer layer) => layer.Layers.Select(l => l.GetProperty("id").GetString()!);

    private static MapState ApplyMoveLayer(MapState state, MoveLayer op)
    {
        var layerId = ExistingLayer(state, op.LayerId).Id;
        var order = state.LayerOrder.Where(id => id != layerId).ToList();
        switch (op.Position)
        {
            case LayerPosition.Top:
                order.Add(layerId);
                break;
            case LayerPosition.Bottom:
                order.Insert(0, layerId);
                break;
            default:
                if (op.RelativeTo is null || op.RelativeTo == layerId || !state.Layers.ContainsKey(op.RelativeTo))
                {
                    throw new MapOperationException(
                        $"relative_to must name another existing layer when position is {op.Position.ToString().ToLowerInvariant()}; layers: {string.Join(", ", state.LayerOrder)}.");
                }

                var index = order.IndexOf(op.RelativeTo);
                order.Insert(op.Position == LayerPosition.Above ? index + 1 : index, layerId);
                break;
        }

        return state with { LayerOrder = order };
    }

    private static MapState ApplyPutAnnotation(MapState state, PutAnnotation op)
    {
        var (id, annotation) = ValidAnnotation(op.AnnotationId, op.Annotation);
        return state with { Annotations = new(state.Annotations) { [id] = annotation } };
    }

    /// <summary>The annotation as a map holds it (its geometry copied out of the request), or why it cannot be one.</summary>
    internal static (string Id, MapAnnotation Annotation) ValidAnnotation(string annotationId, MapAnnotation annotation)
    {
        var id = MapValidation.Id(annotationId, "annotation_id");
        GeoJson.Geometry(annotation.Geometry, "geometry");
        var geometryType = annotation.Geometry.GetProperty("type").GetString();
        var expected = annotation.Kind switch
        {
            AnnotationKind.Marker or AnnotationKind.Circle => "Point",
            AnnotationKind.Line => "LineString",
            _ => "Polygon",
        };
        if (geometryType != expected)
        {
            throw new MapOperationException($"a {annotation.Kind.ToString().ToLowerInvariant()} needs a {expected} geometry; got {geometryType}.");
        }

        MapValidation.Color(annotation.Color);
        if (annotation.Kind == AnnotationKind.Circle)
        {
            MapValidation.InRange(annotation.RadiusMeters ?? -1, 1, 20_000_000, "radius_meters", "the circle's radius in metres");
        }

        if (annotation.Label is { Length: > 200 } || annotation.Popup is { Length: > 10_000 })
        {
            throw new MapOperationException("label is limited to 200 characters and popup to 10,000; shorten them.");
        }

        return (id, annotation with { Geometry = annotation.Geometry.Clone() });
    }

    /// <summary>The state with a recorded merge patch applied; the version is the reducer's business, not the patch's.</summary>
    private static MapState Patched(MapState state, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            throw new MapOperationException("the recorded change has no patch to apply; it cannot be undone or redone.");
        }

        var target = JsonSerializer.SerializeToNode(state, MapJsonContext.Default.MapState)!.AsObject();
        var changes = JsonSerializer.Deserialize(patch, MapJsonContext.Default.JsonObject)!;
        changes.Remove("version");
        JsonMergePatch.Apply(target, changes);
        try
        {
            return target.Deserialize(MapJsonContext.Default.MapState) ?? throw new MapOperationException("the patched map state is empty.");
        }
        catch (JsonException ex)
        {
            throw new MapOperationException($"the recorded change no longer fits the current map ({ex.Message}).");
        }
    }

    private static MapState Validated(MapState restored)
    {
        MapValidation.Center(restored.Center);
        MapValidation.Zoom(restored.Zoom);
        MapValidation.Pitch(restored.Pitch);
        MapValidation.Bearing(restored.Bearing);
        if (!Basemaps.All.ContainsKey(restored.Basemap))
        {
            throw new MapOperationException($"basemap '{restored.Basemap}' is unknown; use one of {string.Join(", ", Basemaps.All.Keys)}.");
        }

        foreach (var (id, layer) in restored.Layers)
        {
            MapValidation.Id(id, "layer id");
            MapValidation.Source(layer.Source);
        }

        foreach (var (id, annotation) in restored.Annotations)
        {
            ApplyPutAnnotation(MapState.Initial, new PutAnnotation(id, annotation));
        }

        var order = restored.LayerOrder.Where(restored.Layers.ContainsKey).Distinct().ToList();
        order.AddRange(restored.Layers.Keys.Where(id => !order.Contains(id)));
        return restored with { LayerOrder = order };
    }

    private static (string Id, MapLayer Layer) ExistingLayer(MapState state, string layerId) =>
        state.Layers.TryGetValue(layerId, out var layer)
            ? (layerId, layer)
            : throw new MapOperationException(
                state.Layers.Count == 0
                    ? $"layer '{layerId}' does not exist: this map has no layers yet; call add_layer first."
                    : $"layer '{layerId}' does not exist; existing layers: {string.Join(", ", state.LayerOrder)}. Call list_layers to see them.");

    private static MapState WithLayer(MapState state, string layerId, Func<MapLayer, MapLayer> change)
    {
        var (id, layer) = ExistingLayer(state, layerId);
        return state with { Layers = new(state.Layers) { [id] = change(layer) } };
    }

    private static MapState WithoutLayer(MapState state, string layerId) => state with
    {
        Layers = Without(state.Layers, layerId),
        LayerOrder = [.. state.LayerOrder.Where(id => id != layerId)],
    };

    private static Dictionary<string, T> Without<T>(Dictionary<string, T> items, string key)
    {
        var copy = new Dictionary<string, T>(items);
        copy.Remove(key);
        return copy;
    }
}
