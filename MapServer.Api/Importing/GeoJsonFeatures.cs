using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace MapServer.Api.Importing;

/// <summary>
/// A GeoJSON file: a FeatureCollection, a Feature or a bare geometry. The document is parsed once (its size is bounded by
/// MapServer:Imports:MaxFileBytes) and its features are turned into geometries one at a time.
/// </summary>
public static class GeoJsonFeatures
{
    public static FeatureTable Read(string name, Stream file, GeometryFactory factory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new ImportException(
                $"'{name}' is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).",
                "Check the file in a GeoJSON validator (e.g. geojson.io) and export it again.");
        }

        return new FeatureTable(name, Features(name, document, new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory(factory) } }));
    }

    private static IEnumerable<IFeature> Features(string name, JsonDocument document, JsonSerializerOptions options)
    {
        using (document)
        {
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            IEnumerable<JsonElement> features = type switch
            {
                "FeatureCollection" when root.TryGetProperty("features", out var list) && list.ValueKind == JsonValueKind.Array => list.EnumerateArray(),
                "Feature" => [root],
                "Point" or "MultiPoint" or "LineString" or "MultiLineString" or "Polygon" or "MultiPolygon" or "GeometryCollection" => [],
                _ => throw new ImportException(
                    $"'{name}' is JSON but not GeoJSON: its top level is {(type is null ? "not an object with a \"type\"" : $"of type '{type}'")}.",
                    "Import a GeoJSON FeatureCollection, Feature or geometry (RFC 7946)."),
            };

            if (type is not ("FeatureCollection" or "Feature"))
            {
                yield return new Feature(Geometry(root, 1, options), new AttributesTable());
                yield break;
            }

            var number = 0;
            foreach (var feature in features)
            {
                number++;
                if (feature.ValueKind != JsonValueKind.Object)
                {
                    throw new ImportException($"feature {number:N0} of '{name}' is not a JSON object.", "Each entry of \"features\" must be a GeoJSON Feature object.");
                }

                var geometry = feature.TryGetProperty("geometry", out var g) && g.ValueKind == JsonValueKind.Object ? Geometry(g, number, options) : null;
                var properties = new AttributesTable();
                if (feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in p.EnumerateObject())
                    {
                        if (!properties.Exists(property.Name))
                        {
                            properties.Add(property.Name, Value(property.Value));
                        }
                    }
                }

                yield return new Feature(geometry, properties);
            }
        }
    }

    private static Geometry? Geometry(JsonElement geometry, int number, JsonSerializerOptions options)
    {
        try
        {
            return geometry.Deserialize<Geometry>(options);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException)
        {
            throw new ImportException(
                $"feature {number:N0} has a geometry this server cannot read ({ex.Message}).",
                "Give each geometry as RFC 7946 GeoJSON: a type and coordinates as [longitude, latitude] arrays (a polygon's rings closed, at least 4 positions).");
        }
    }

    /// <summary>A property as it was: numbers, text, booleans and null as such; objects and arrays kept as the JSON they are.</summary>
    private static object? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.TryGetInt64(out var whole) ? whole : value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.Clone(),
    };
}
