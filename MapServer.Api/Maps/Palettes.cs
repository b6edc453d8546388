namespace MapServer.Api.Maps;

/// <summary>
/// Named colour palettes for style_layer_by_property. Categorical: okabe_ito (colour-blind safe), tableau10. Sequential,
/// light to dark: viridis and cividis (colour-blind safe, perceptually uniform), blues, greens, reds, oranges, purples.
/// </summary>
public static class Palettes
{
    /// <summary>The legend colours a new layer gets in turn when the agent names none.</summary>
    public static string[] Legend { get; } = ["#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2"];

    /// <summary>The colour of values outside the listed classes (e.g. "Other").</summary>
    public const string Other = "#9ca3af";

    public static IReadOnlyDictionary<string, string[]> Categorical { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["okabe_ito"] = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7", "#000000"],
        ["tableau10"] = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"],
    };

    public static IReadOnlyDictionary<string, string[]> Sequential { get; } = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["viridis"] = ["#fde725", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e", "#440154"],
        ["cividis"] = ["#fee838", "#d3c164", "#ada478", "#8b8878", "#6f6f72", "#575d6d", "#3b496c", "#00224e"],
        ["blues"] = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"],
        ["greens"] = ["#f7fcf5", "#e5f5e0", "#c7e9c0", "#a1d99b", "#74c476", "#41ab5d", "#238b45", "#005a32"],
        ["reds"] = ["#fff5f0", "#fee0d2", "#fcbba1", "#fc9272", "#fb6a4a", "#ef3b2c", "#cb181d", "#99000d"],
        ["oranges"] = ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#8c2d04"],
        ["purples"] = ["#fcfbfd", "#efedf5", "#dadaeb", "#bcbddc", "#9e9ac8", "#807dba", "#6a51a3", "#4a1486"],
    };

    /// <summary>All names, for messages.</summary>
    public static string Names => string.Join(", ", Categorical.Keys.Concat(Sequential.Keys));

    /// <summary><paramref name="count"/> colours spread evenly over a sequential palette, light to dark.</summary>
    public static string[] Spread(string[] palette, int count) =>
        count == 1 ? [palette[^1]] : [.. Enumerable.Range(0, count).Select(i => palette[(int)Math.Round(i * (palette.Length - 1) / (double)(count - 1))])];
}
