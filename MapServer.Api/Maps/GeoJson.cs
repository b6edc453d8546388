using System.Text.Json;

namespace MapServer.Api.Maps;

/// <summary>Validates GeoJSON (RFC 7946): object types, coordinate arity and ranges, ring closure.</summary>
public static class GeoJson
{
    private static readonly string[] GeometryTypes =
        ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"];

    public static void Validate(JsonElement value, string at)
    {
        var type = TypeOf(value, at);
        switch (type)
        {
            case "FeatureCollection":
                if (!value.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid(at, "a FeatureCollection needs a 'features' array");
                }

                var i = 0;
                foreach (var feature in features.EnumerateArray())
                {
                    Feature(feature, $"{at}.features[{i++}]");
                }

                break;
            case "Feature":
                Feature(value, at);
                break;
            default:
                Geometry(value, at);
                break;
        }
    }

    public static void Geometry(JsonElement geometry, string at)
    {
        var type = TypeOf(geometry, at);
        if (!GeometryTypes.Contains(type))
        {
            throw Invalid(at, $"type '{type}' is not a GeoJSON geometry; use one of {string.Join(", ", GeometryTypes)}, Feature or FeatureCollection");
        }

        if (type == "GeometryCollection")
        {
            if (!geometry.TryGetProperty("geometries", out var geometries) || geometries.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(at, "a GeometryCollection needs a 'geometries' array");
            }

            var i = 0;
            foreach (var child in geometries.EnumerateArray())
            {
                Geometry(child, $"{at}.geometries[{i++}]");
            }

            return;
        }

        if (!geometry.TryGetProperty("coordinates", out var coordinates) || coordinates.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(at, $"a {type} needs a 'coordinates' array");
        }

        var where = $"{at}.coordinates";
        switch (type)
        {
            case "Point":
                Position(coordinates, where);
                break;
            case "MultiPoint":
                Each(coordinates, where, Position);
                break;
            case "LineString":
                Line(coordinates, where);
                break;
            case "MultiLineString":
                Each(coordinates, where, Line);
                break;
            case "Polygon":
                Polygon(coordinates, where);
                break;
            case "MultiPolygon":
                Each(coordinates, where, Polygon);
                break;
        }
    }

    private static void Feature(JsonElement feature, string at)
    {
        if (TypeOf(feature, at) != "Feature")
        {
            throw Invalid(at, "each item of 'features' must be a Feature");
        }

        if (!feature.TryGetProperty("geometry", out var geometry))
        {
            throw Invalid(at, "a Feature needs a 'geometry' (an object, or null)");
        }

        if (geometry.ValueKind != JsonValueKind.Null)
        {
            Geometry(geometry, $"{at}.geometry");
        }

        if (feature.TryGetProperty("properties", out var properties)
            && properties.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            throw Invalid(at, "'properties' must be an object or null");
        }
    }

    private static string TypeOf(JsonElement value, string at) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()!
            : throw Invalid(at, "a GeoJSON object needs a string 'type'");

    private static void Each(JsonElement array, string at, Action<JsonElement, string> check)
    {
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Array)
            {
                throw Invalid($"{at}[{i}]", "must be an array");
            }

            check(item, $"{at}[{i++}]");
        }
    }

    private static void Position(JsonElement position, string at)
    {
        var length = position.ValueKind == JsonValueKind.Array ? position.GetArrayLength() : 0;
        if (length is < 2 or > 3 || position.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number))
        {
            throw Invalid(at, "a position is [longitude, latitude] or [longitude, latitude, altitude] of numbers");
        }

        MapValidation.Longitude(position[0].GetDouble(), $"{at}[0] (longitude)");
        MapValidation.Latitude(position[1].GetDouble(), $"{at}[1] (latitude)");
    }

    private static void Line(JsonElement line, string at)
    {
        Each(line, at, Position);
        if (line.GetArrayLength() < 2)
        {
            throw Invalid(at, "a LineString needs at least two positions");
        }
    }

    private static void Polygon(JsonElement rings, string at) =>
        Each(rings, at, (ring, ringAt) =>
        {
            Each(ring, ringAt, Position);
            var count = ring.GetArrayLength();
            if (count < 4)
            {
                throw Invalid(ringAt, "a polygon ring needs at least four positions, the last equal to the first");
            }

            var first = ring[0];
            var last = ring[count - 1];
            if (first[0].GetDouble() != last[0].GetDouble() || first[1].GetDouble() != last[1].GetDouble())
            {
                throw Invalid(ringAt, "a polygon ring must be closed: repeat the first position at the end");
            }
        });

    private static MapOperationException Invalid(string at, string message) =>
        new($"Invalid GeoJSON at {at}: {message}.");
}
