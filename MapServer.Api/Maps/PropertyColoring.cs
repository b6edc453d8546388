using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Maps;

/// <summary>
/// A MapLibre colour expression computed from a property's values: <c>match</c> over the most frequent values (the rest
/// "Other"), or <c>step</c> over class breaks (quantiles, or equal intervals between min and max). Pure.
/// </summary>
public static class PropertyColoring
{
    public static ColoredClasses Categorical(string property, IEnumerable<JsonElement> values, int classes, string[] palette)
    {
        var top = values
            .Where(v => v.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            .GroupBy(Label, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(Math.Min(classes, palette.Length))
            .Select(g => (Label: g.Key, Value: JsonNode.Parse(g.First().GetRawText())!))
            .ToList();
        if (top.Count == 0)
        {
            throw new MapOperationException($"no feature has a string, number or boolean value of '{property}' to colour by; describe_layer lists the properties.");
        }

        var expression = new JsonArray("match", Get(property));
        var result = new List<ColorClass>();
        for (var i = 0; i < top.Count; i++)
        {
            expression.Add(top[i].Value.DeepClone());
            expression.Add(palette[i]);
            result.Add(new ColorClass(top[i].Label, palette[i]));
        }

        expression.Add(Palettes.Other);
        result.Add(new ColorClass("Other", Palettes.Other));
        return new ColoredClasses(Element(expression), result);
    }

    /// <param name="method">"quantile" (each class holds about as many features) or "equal_interval" (each spans as much of min..max).</param>
    public static ColoredClasses Numeric(string property, IEnumerable<JsonElement> values, int classes, string method, string[] palette)
    {
        var numbers = values.Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).Order().ToArray();
        if (numbers.Length == 0)
        {
            throw new MapOperationException($"no feature has a number in '{property}'; colour it with method 'categorical', or pick a numeric property (describe_layer lists them).");
        }

        var (min, max) = (numbers[0], numbers[^1]);
        var breaks = (method switch
        {
            "quantile" => Enumerable.Range(1, classes - 1).Select(i => numbers[(int)Math.Floor(i * numbers.Length / (double)classes)]),
            "equal_interval" => Enumerable.Range(1, classes - 1).Select(i => min + i * (max - min) / classes),
            _ => throw new MapOperationException($"method '{method}' is unknown; use 'categorical', 'quantile' or 'equal_interval'."),
        }).Select(b => Math.Round(b, 6)).Where(b => b > min).Distinct().ToList();
        var colors = Palettes.Spread(palette, breaks.Count + 1);

        var expression = new JsonArray("step", Get(property), colors[0]);
        var result = new List<ColorClass> { new(breaks.Count == 0 ? "All" : $"< {Format(breaks[0])}", colors[0]) };
        for (var i = 0; i < breaks.Count; i++)
        {
            expression.Add(breaks[i]);
            expression.Add(colors[i + 1]);
            result.Add(new ColorClass(i + 1 < breaks.Count ? $"{Format(breaks[i])} – {Format(breaks[i + 1])}" : $"≥ {Format(breaks[i])}", colors[i + 1]));
        }

        return new ColoredClasses(Element(expression), result);
    }

    /// <summary>A value as a legend shows it: strings as they are, numbers and booleans as JSON.</summary>
    private static string Label(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static JsonArray Get(string property) => new("get", property);

    private static string Format(double value) => value.ToString("#,0.######", CultureInfo.InvariantCulture);

    private static JsonElement Element(JsonArray expression) => JsonDocument.Parse(expression.ToJsonString()).RootElement.Clone();
}
