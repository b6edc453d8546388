using System.Text.Json;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>One property of a tool's input schema.</summary>
/// <param name="Types">"string", "number", "integer", "boolean", "array", "object", "null"; empty when any JSON goes.</param>
public sealed record FuzzParameter(string Name, string[] Types, bool Required, JsonElement Schema)
{
    public bool IsAny => Types.Length == 0;

    /// <summary>The JSON types a schema allows (<c>"type": "string"</c> or <c>["string", "null"]</c>); none = any JSON.</summary>
    public static string[] TypesOf(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : [type.GetString()!];

    /// <summary>The type other than null (a nullable string is a string).</summary>
    public string Type => Types.FirstOrDefault(t => t != "null") ?? "any";

    public bool Nullable => Types.Contains("null");

    /// <summary>The item schema of an array parameter.</summary>
    public JsonElement? Items => Schema.TryGetProperty("items", out var items) ? items : null;
}
