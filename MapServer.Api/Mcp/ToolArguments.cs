using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace MapServer.Api.Mcp;

/// <summary>
/// Checks a tool call's arguments against the tool's input schema before the SDK binds them, so an agent
/// learns which argument is wrong and what it should be (binding errors otherwise surface as the SDK's bare
/// "An error occurred invoking"). Checks the top level only: names, required, JSON types, enums, and the
/// element type of arrays; the tools validate the content themselves.
/// </summary>
/// <remarks>Hand-written: the SDK exposes no validator, and a full JSON Schema engine would check less useful things with worse messages.</remarks>
public static class ToolArguments
{
    /// <summary>Each tool's schema read once (tools never change their schema while the server runs).</summary>
    private static readonly ConcurrentDictionary<string, Schema> Schemas = new(StringComparer.Ordinal);

    /// <summary>
    /// Leaves out null values of optional arguments, so that null means "use the default" (the schemas declare optional
    /// arguments without a null type, for portability; some clients still send null for what they leave unset).
    /// </summary>
    public static void OmitNulls(string toolName, JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null || !arguments.Values.Any(v => v.ValueKind == JsonValueKind.Null))
        {
            return;
        }

        var schema = Schemas.GetOrAdd(toolName, static (name, input) => Schema.Read(name, input), inputSchema);
        foreach (var name in arguments.Where(a => a.Value.ValueKind == JsonValueKind.Null && !schema.Required.Contains(a.Key)).Select(a => a.Key).ToList())
        {
            arguments.Remove(name);
        }
    }

    /// <summary>What is wrong with <paramref name="arguments"/>, or null when they fit the schema.</summary>
    public static string? Problem(string toolName, JsonElement inputSchema, IDictionary<string, JsonElement>? arguments)
    {
        var schema = Schemas.GetOrAdd(toolName, static (name, input) => Schema.Read(name, input), inputSchema);
        arguments ??= new Dictionary<string, JsonElement>();
        foreach (var (name, value) in arguments)
        {
            if (!schema.Properties.TryGetValue(name, out var property))
            {
                return $"'{toolName}' has no argument '{name}'. {schema.Takes}";
            }

            if (Mismatch(value, property, name) is { } wrong)
            {
                return $"argument '{wrong.Path}' of '{toolName}' must be {wrong.Expected}, not {Describe(wrong.Actual)}. {schema.Takes}";
            }
        }

        var missing = schema.Required.Where(r => !arguments.ContainsKey(r)).ToList();
        return missing.Count > 0
            ? $"'{toolName}' needs the argument{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))}. {schema.Takes}"
            : null;
    }

    /// <summary>A tool's arguments by name, the required ones, and the one-line summary errors end with.</summary>
    private sealed record Schema(Dictionary<string, JsonElement> Properties, IReadOnlyList<string> Required, string Takes)
    {
        public static Schema Read(string toolName, JsonElement inputSchema)
        {
            var properties = inputSchema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                ? p.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.Clone(), StringComparer.Ordinal)
                : [];
            var required = ToolArguments.Required(inputSchema).ToList();
            return new Schema(properties, required, Summary(toolName, properties, required));
        }
    }

    /// <summary>Where the value (or an item of it) does not fit, what it should have been, and what it was; null when it fits.</summary>
    private static (string Path, string Expected, JsonElement Actual)? Mismatch(JsonElement value, JsonElement schema, string path)
    {
        var types = Types(schema);
        if (types.Count > 0 && !types.Any(t => Fits(value, t)))
        {
            return (path, string.Join(" or ", types.Select(Article)), value);
        }

        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("enum", out var choices) && choices.ValueKind == JsonValueKind.Array
            && !choices.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.String && c.GetString() == value.GetString()))
        {
            return (path, $"one of {string.Join(", ", choices.EnumerateArray().Select(c => c.GetRawText()))}", value);
        }

        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (Mismatch(item, items, $"{path}[{index.ToString(CultureInfo.InvariantCulture)}]") is { } wrong)
                {
                    return wrong;
                }

                index++;
            }
        }

        return null;
    }

    private static bool Fits(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number && double.IsFinite(value.GetDouble()),
        _ => true,
    };

    private static List<string> Types(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            // "any JSON value" and other unions are written as anyOf branches of one type each.
            return schema.TryGetProperty("anyOf", out var branches) && branches.ValueKind == JsonValueKind.Array
                && branches.EnumerateArray().All(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty("type", out _))
                ? [.. branches.EnumerateArray().SelectMany(Types).Distinct()]
                : [];
        }

        return type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array => [.. type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)],
            _ => [],
        };
    }

    private static IEnumerable<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array
            ? required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!)
            : [];

    /// <summary>The tool's arguments in one line: "It takes: session_id (string, required), zoom (number or null)."</summary>
    private static string Summary(string toolName, Dictionary<string, JsonElement> properties, IReadOnlyList<string> required)
    {
        var list = properties.Select(p =>
        {
            var types = Types(p.Value);
            var kind = types.Count is 0 or >= 5 ? "any JSON" : string.Join(" or ", types);
            return $"{p.Key} ({kind}{(required.Contains(p.Key) ? ", required" : "")})";
        });
        return $"'{toolName}' takes: {string.Join(", ", list)}. Nothing was changed.";
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string {Excerpt(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Excerpt(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => $"an array of {value.GetArrayLength().ToString(CultureInfo.InvariantCulture)} item(s)",
        JsonValueKind.Object => "an object",
        _ => "an unreadable value",
    };

    private static string Excerpt(string raw) => raw.Length <= 40 ? raw : $"{raw[..37]}...";

    private static string Article(string type) => type switch
    {
        "integer" => "an integer (a whole number)",
        "number" => "a finite number",
        "object" => "a JSON object",
        "array" => "an array",
        "null" => "null",
        _ => $"a {type}",
    };
}
