using System.Text.Json;
using MapServer.Api.Maps;

namespace MapServer.Tests.Unit.Maps;

public sealed class LayerProfileTests
{
    /// <summary>120 generated features: 100 points and 20 polygons; kind a/b/c in 60/40/20; population 1000 x i; flag on even ids; note on every 4th.</summary>
    private static JsonElement Generated()
    {
        var features = Enumerable.Range(0, 120).Select(i => new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["geometry"] = i < 100
                ? new { type = "Point", coordinates = new[] { -10 + i * 0.2, 40 + i * 0.1 } }
                : new { type = "Polygon", coordinates = new[] { new[] { new[] { 5.0, 50 }, new[] { 6.0, 50 }, new[] { 6.0, 51 + i % 3 }, new[] { 5.0, 50 } } } },
            ["properties"] = new Dictionary<string, object?>
            {
                ["id"] = i,
                ["kind"] = i < 60 ? "a" : i < 100 ? "b" : "c",
                ["population"] = i * 1000,
                ["flag"] = i % 2 == 0,
                ["note"] = i % 4 == 0 ? $"n{i}" : null,
            },
        });
        return JsonSerializer.SerializeToElement(new { type = "FeatureCollection", features });
    }

    [Fact]
    public void Counts_features_by_geometry_type_and_boxes_every_coordinate()
    {
        var profile = LayerProfile.Of(Generated());

        Assert.Equal(120, profile.Features);
        Assert.Equal(100, profile.GeometryTypes["Point"]);
        Assert.Equal(20, profile.GeometryTypes["Polygon"]);
        Assert.Equal([-10, 40, 9.8, 53], profile.Bbox!.Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void Profiles_each_property_with_types_counts_range_and_frequent_values()
    {
        var properties = LayerProfile.Of(Generated(), topValues: 2).Properties.ToDictionary(p => p.Name);

        Assert.Equal(["id", "kind", "population", "flag", "note"], LayerProfile.Of(Generated()).Properties.Select(p => p.Name));
        var kind = properties["kind"];
        Assert.Equal(["string"], kind.Types);
        Assert.Equal((120, 0, 3), (kind.Values, kind.Missing, kind.Distinct));
        Assert.Equal([new ValueCount("a", 60), new ValueCount("b", 40)], kind.TopValues);
        Assert.Null(kind.Min);

        var population = properties["population"];
        Assert.Equal((0d, 119_000d, 59_500d), (population.Min!.Value, population.Max!.Value, population.Mean!.Value));
        Assert.Equal(120, population.Distinct);

        Assert.Equal(["boolean"], properties["flag"].Types);
        Assert.Equal([new ValueCount("false", 60), new ValueCount("true", 60)], properties["flag"].TopValues);

        var note = properties["note"];
        Assert.Equal(["null", "string"], note.Types);
        Assert.Equal((30, 90), (note.Values, note.Missing));
    }

    [Fact]
    public void A_single_feature_or_bare_geometry_is_a_layer_of_one()
    {
        Assert.Equal(1, LayerProfile.Of(JsonSerializer.SerializeToElement(new { type = "Point", coordinates = new[] { 2.35, 48.85 } })).Features);
        var feature = LayerProfile.Of(JsonSerializer.SerializeToElement(new { type = "Feature", geometry = (object?)null, properties = new { a = 1 } }));
        Assert.Equal(1, feature.GeometryTypes["none"]);
        Assert.Null(feature.Bbox);
    }
}
