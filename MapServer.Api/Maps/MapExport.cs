using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Maps;

/// <summary>
/// A session as a portable document: the annotations as one GeoJSON FeatureCollection beside the MapLibre style
/// <see cref="MapStyleRenderer"/> renders, and the names both share with <see cref="Operations.ImportMap"/>, which
/// reads them back. Pure.
/// </summary>
public static class MapExport
{
    /// <summary>The names the export and the import share, defined once in the renderer.</summary>
    public static MapStyleNames Names => MapStyleRenderer.Names;

    /// <summary>
    /// Whether an import takes a style's source as a layer: not the basemap's own (<c>basemap-*</c>) nor the annotations'
    /// (imported from the basemap name and the annotations argument).
    /// </summary>
    public static bool IsLayerSource(string sourceId) => sourceId != Names.AnnotationSource && !sourceId.StartsWith(Names.BasemapPrefix, StringComparison.Ordinal);

    /// <summary>The annotations as a FeatureCollection; each feature's properties: id, kind, label, color, popup, radius_meters.</summary>
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
            properties["radius_meters"] = radius;
        }

        return new JsonObject { ["type"] = "Feature", ["id"] = id, ["geometry"] = Node(annotation.Geometry), ["properties"] = properties };
    }

    private static JsonNode Node(JsonElement element) => JsonNode.Parse(element.GetRawText())!;
}
