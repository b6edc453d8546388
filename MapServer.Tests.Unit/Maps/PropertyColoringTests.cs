using System.Text.Json;
using MapServer.Api.Maps;

namespace MapServer.Tests.Unit.Maps;

public sealed class PropertyColoringTests
{
    private static JsonElement[] Values(params object[] values) => [.. values.Select(v => JsonSerializer.SerializeToElement(v))];

    private static readonly string[] Five = ["#000001", "#000002", "#000003", "#000004", "#000005"];

    [Fact]
    public void Categorical_gives_the_most_frequent_values_their_own_colour_and_the_rest_other()
    {
        var coloring = PropertyColoring.Categorical("kind", Values("bus", "rail", "bus", "ferry", "bus", "rail", "tram", 7), 3, Five);

        Assert.Equal("""["match",["get","kind"],"bus","#000001","rail","#000002","7","#000003","#9ca3af"]""".Replace("\"7\"", "7", StringComparison.Ordinal), coloring.Expression.GetRawText());
        Assert.Equal(["bus", "rail", "7", "Other"], coloring.Classes.Select(c => c.Label));
    }

    [Fact]
    public void Quantile_breaks_put_about_as_many_features_in_each_class()
    {
        var coloring = PropertyColoring.Numeric("v", Values([.. Enumerable.Range(1, 100).Cast<object>()]), 4, "quantile", Palettes.Sequential["viridis"]);

        Assert.Equal("""["step",["get","v"],"#fde725",26,"#4ac16d",51,"#365c8d",76,"#440154"]""", coloring.Expression.GetRawText());
        Assert.Equal(["< 26", "26 – 51", "51 – 76", "≥ 76"], coloring.Classes.Select(c => c.Label));
    }

    [Fact]
    public void Equal_interval_breaks_split_min_to_max_evenly_and_repeated_values_merge_classes()
    {
        var even = PropertyColoring.Numeric("v", Values(0, 10, 100, 37.5), 4, "equal_interval", Five);
        Assert.Equal([25.0, 50, 75], even.Expression.EnumerateArray().Skip(3).Where((_, i) => i % 2 == 0).Select(b => b.GetDouble()));

        var constant = PropertyColoring.Numeric("v", Values(5, 5, 5), 4, "quantile", Five);
        Assert.Equal(["All"], constant.Classes.Select(c => c.Label));
    }

    [Fact]
    public void Values_that_cannot_be_classified_are_refused_with_what_to_do()
    {
        Assert.Contains("categorical", Assert.Throws<MapOperationException>(() => PropertyColoring.Numeric("name", Values("a", "b"), 3, "quantile", Five)).Message, StringComparison.Ordinal);
        Assert.Contains("equal_interval", Assert.Throws<MapOperationException>(() => PropertyColoring.Numeric("v", Values(1, 2), 3, "jenks", Five)).Message, StringComparison.Ordinal);
        Assert.Contains("describe_layer", Assert.Throws<MapOperationException>(() => PropertyColoring.Categorical("v", Values(new { a = 1 }), 3, Five)).Message, StringComparison.Ordinal);
    }
}
