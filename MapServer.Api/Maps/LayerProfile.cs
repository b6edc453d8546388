using System.Text.Json;

namespace MapServer.Api.Maps;

/// <summary>
/// What a GeoJSON layer holds, for an agent that has not read it (describe_layer): how many features of which geometry
/// types, where (bbox), and each property's types, how many values and distinct values, the numeric range and the most
/// frequent values. Pure: one pass over the document.
/// </summary>
public sealed record LayerProfile(int Features, IReadOnlyDictionary<string, int> GeometryTypes, double[]? Bbox, IReadOnlyList<PropertyProfile> Properties)
{
    /// <summary>Distinct values are counted exactly up to this many per property, then reported as at least this.</summary>
    public const int DistinctCap = 10_000;

    public static LayerProfile Of(JsonElement geojson, int topValues = 10)
    {
        var features = FeaturesOf(geojson).ToList();
        var geometryTypes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var bounds = new BoundsBuilder();
        var properties = new Dictionary<string, PropertyTally>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var feature in features)
        {
            if (feature.TryGetProperty("geometry", out var geometry) && geometry.ValueKind == JsonValueKind.Object
                && geometry.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
            {
                geometryTypes[type.GetString()!] = geometryTypes.GetValueOrDefault(type.GetString()!) + 1;
                bounds.Add(geometry);
            }
            else
            {
                geometryTypes["none"] = geometryTypes.GetValueOrDefault("none") + 1;
            }

            if (feature.TryGetProperty("properties", out var values) && values.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in values.EnumerateObject())
                {
                    if (!properties.TryGetValue(property.Name, out var tally))
                    {
                        properties[property.Name] = tally = new PropertyTally();
                        order.Add(property.Name);
                    }

                    tally.Add(property.Value);
                }
            }
        }

        return new LayerProfile(features.Count, geometryTypes, bounds.Bbox, [.. order.Select(name => properties[name].Profile(name, features.Count, topValues))]);
    }

    private static IEnumerable<JsonElement> FeaturesOf(JsonElement geojson) =>
        geojson.ValueKind == JsonValueKind.Object && geojson.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString() switch
            {
                "FeatureCollection" when geojson.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array =>
                    features.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.Object),
                "Feature" => [geojson],
                _ => [JsonDocument.Parse($$"""{"type":"Feature","properties":{},"geometry":{{geojson.GetRawText()}}}""").RootElement],
            }
            : [];

    /// <summary>The box around every coordinate of the geometries added.</summary>
    private sealed class BoundsBuilder
    {
        private double _west = double.PositiveInfinity, _south = double.PositiveInfinity, _east = double.NegativeInfinity, _north = double.NegativeInfinity;

        public double[]? Bbox => double.IsFinite(_west) ? [_west, _south, _east, _north] : null;

        public void Add(JsonElement geometry)
        {
            if (geometry.TryGetProperty("coordinates", out var coordinates))
            {
                AddCoordinates(coordinates);
            }
            else if (geometry.TryGetProperty("geometries", out var geometries) && geometries.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in geometries.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.Object))
                {
                    Add(part);
                }
            }
        }

        private void AddCoordinates(JsonElement coordinates)
        {
            if (coordinates.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            if (coordinates.GetArrayLength() >= 2 && coordinates[0].ValueKind == JsonValueKind.Number && coordinates[1].ValueKind == JsonValueKind.Number)
            {
                var (longitude, latitude) = (coordinates[0].GetDouble(), coordinates[1].GetDouble());
                (_west, _east) = (Math.Min(_west, longitude), Math.Max(_east, longitude));
                (_south, _north) = (Math.Min(_south, latitude), Math.Max(_north, latitude));
                return;
            }

            foreach (var inner in coordinates.EnumerateArray())
            {
                AddCoordinates(inner);
            }
        }
    }

    /// <summary>One property's values as they are seen.</summary>
    private sealed class PropertyTally
    {
        private readonly SortedSet<string> _types = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
        private int _values;
        private double _min = double.PositiveInfinity, _max = double.NegativeInfinity, _sum;
        private int _numbers;

        public void Add(JsonElement value)
        {
            _types.Add(value.ValueKind switch
            {
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                JsonValueKind.True or JsonValueKind.False => "boolean",
                JsonValueKind.Null => "null",
                JsonValueKind.Array => "array",
                _ => "object",
            });
            if (value.ValueKind == JsonValueKind.Null)
            {
                return;
            }

            _values++;
            if (value.ValueKind == JsonValueKind.Number)
            {
                var number = value.GetDouble();
                (_min, _max, _sum, _numbers) = (Math.Min(_min, number), Math.Max(_max, number), _sum + number, _numbers + 1);
            }

            var key = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (_counts.Count < DistinctCap || _counts.ContainsKey(key))
            {
                _counts[key] = _counts.GetValueOrDefault(key) + 1;
            }
        }

        public PropertyProfile Profile(string name, int features, int topValues) => new(
            name,
            [.. _types],
            _values,
            features - _values,
            _counts.Count,
            _counts.Count >= DistinctCap,
            _numbers > 0 ? _min : null,
            _numbers > 0 ? _max : null,
            _numbers > 0 ? _sum / _numbers : null,
            [.. _counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(topValues).Select(c => new ValueCount(c.Key, c.Value))]);
    }
}
