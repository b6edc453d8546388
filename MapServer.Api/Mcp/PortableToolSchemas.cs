using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using ModelContextProtocol.Protocol;

namespace MapServer.Api.Mcp;

/// <summary>
/// Rewrites the SDK's generated tool schemas into the portable subset strict clients accept (Gemini and OpenAI function
/// calling, Cursor; the Inspector's <c>--strict</c> portability check): one <c>type</c> per schema, an optional property
/// instead of <c>type: [X, "null"]</c> (a null argument means "use the default", and results never write null), and a
/// declared "any JSON value" instead of an empty schema (MapLibre expressions, GeoJSON and style values).
/// </summary>
/// <remarks>Hand-written: the SDK's schema options cannot express these per property, and the rules are the same for every tool.</remarks>
internal static class PortableToolSchemas
{
    private static readonly string[] JsonTypes = ["string", "number", "boolean", "object", "array"];

    /// <summary>Keywords that make a schema constrain its value (the rest only describe it).</summary>
    private static readonly HashSet<string> Constraining =
    [
        "type", "enum", "const", "anyOf", "oneOf", "allOf", "not", "$ref", "properties", "additionalProperties", "items",
        "prefixItems", "required", "minimum", "maximum", "minLength", "maxLength", "pattern", "format", "minItems", "maxItems",
    ];

    /// <summary>
    /// What a raw JSON value of the map is, by the name the tools give it (MapLibre style spec and GeoJSON terms), so its
    /// schema says more than "any value"; "[]" names the items of an array.
    /// </summary>
    private static readonly Dictionary<string, string[]> ValueKinds = new(StringComparer.Ordinal)
    {
        ["source"] = ["object"], // a MapLibre source spec
        ["layers[]"] = ["object"], // a MapLibre style layer
        ["style"] = ["object"], // a MapLibre style
        ["annotations"] = ["object"], // a GeoJSON FeatureCollection
        ["geometry"] = ["object"], // a GeoJSON geometry
        ["clicked_feature"] = ["object"], // a GeoJSON feature
        ["filter"] = ["array", "null"], // a MapLibre filter expression; null removes it
    };

    /// <summary>Tools already rewritten: the SDK keeps one instance per tool while the server runs.</summary>
    private static readonly ConditionalWeakTable<Tool, object> Done = [];

    /// <summary>Rewrites <paramref name="tool"/>'s input and output schemas, once (calling it again changes nothing).</summary>
    public static void Apply(Tool tool)
    {
        if (Done.TryGetValue(tool, out _))
        {
            return;
        }

        // Marked once rewritten, so a request listing tools meanwhile never sees it half done (a second rewrite changes nothing).
        tool.InputSchema = Portable(tool.InputSchema, output: false);
        if (tool.OutputSchema is { } output)
        {
            tool.OutputSchema = Portable(output, output: true);
        }

        Done.AddOrUpdate(tool, tool);
    }

    /// <summary>The portable form of <paramref name="schema"/> (a tool's input or output schema).</summary>
    public static JsonElement Portable(JsonElement schema, bool output)
    {
        var node = JsonNode.Parse(schema.GetRawText())!;
        if (node is JsonObject root)
        {
            node = Inlined(root, root, depth: 0);
            Rewrite((JsonObject)node, output);
        }

        return JsonSerializer.Deserialize(node.ToJsonString(), MapJsonContext.Default.JsonElement);
    }

    /// <summary>
    /// <paramref name="node"/> with each local <c>$ref</c> replaced by a copy of what it points at: the SDK refers to a type's
    /// first schema when the type appears twice, and several clients (Gemini's function declarations among them) read no <c>$ref</c>.
    /// </summary>
    private static JsonNode Inlined(JsonNode node, JsonObject root, int depth)
    {
        if (depth > 32)
        {
            throw new InvalidOperationException("a tool schema refers to itself; the portable form cannot inline it");
        }

        if (node is JsonObject schema && schema["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal))
        {
            var target = reference[2..].Split('/').Aggregate((JsonNode?)root, (at, part) => at?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)])
                ?? throw new InvalidOperationException($"a tool schema refers to {reference}, which it does not hold");
            var copy = Inlined(target.DeepClone(), root, depth + 1);
            if (copy is JsonObject inlined && schema["description"] is { } description)
            {
                inlined["description"] = description.DeepClone();
            }

            return copy;
        }

        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is { } child && Inlined(child, root, depth + 1) is var inlined && !ReferenceEquals(inlined, child))
                    {
                        o[key] = inlined;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is { } item && Inlined(item, root, depth + 1) is var inlined && !ReferenceEquals(inlined, item))
                    {
                        a[i] = inlined;
                    }
                }

                break;
        }

        return node;
    }

    private static void Rewrite(JsonObject schema, bool output, string? name = null)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var key in properties.Select(p => p.Key).ToList())
            {
                var (property, wasNullable) = Subschema(properties[key], output, key);
                if (!ReferenceEquals(property, properties[key]))
                {
                    properties[key] = property;
                }

                if (wasNullable && schema["required"] is JsonArray required)
                {
                    // Null is never written and a null argument is the default: the property is optional.
                    foreach (var entry in required.Where(r => r?.GetValue<string>() == key).ToList())
                    {
                        required.Remove(entry);
                    }
                }
            }
        }

        foreach (var keyword in (string[])["items", "additionalProperties", "not"])
        {
            // `false` (nothing more allowed) is a constraint of its own and stays.
            if (schema.TryGetPropertyValue(keyword, out var value) && value?.GetValueKind() is not JsonValueKind.False)
            {
                var rewritten = Subschema(value, output, keyword == "items" && name is not null ? $"{name}[]" : null).Schema;
                if (!ReferenceEquals(rewritten, value))
                {
                    schema[keyword] = rewritten;
                }
            }
        }

        foreach (var keyword in (string[])["anyOf", "oneOf", "allOf", "prefixItems"])
        {
            if (schema[keyword] is JsonArray branches)
            {
                for (var i = 0; i < branches.Count; i++)
                {
                    var rewritten = Subschema(branches[i], output, name).Schema;
                    if (!ReferenceEquals(rewritten, branches[i]))
                    {
                        branches[i] = rewritten;
                    }
                }
            }
        }
    }

    /// <summary>The portable form of a property, item or branch schema, and whether it allowed null.</summary>
    private static (JsonNode Schema, bool WasNullable) Subschema(JsonNode? node, bool output, string? name)
    {
        if (node is not JsonObject schema)
        {
            return (AnyValue(new JsonObject(), output, name), false); // a bare `true` (or nothing): any value
        }

        if (schema.TryGetPropertyValue("default", out var fallback) && fallback is null)
        {
            schema.Remove("default"); // it said only "optional"; a real default stays
        }

        var wasNullable = false;
        if (schema["type"] is JsonArray types)
        {
            var named = types.Select(t => t?.GetValue<string>()).OfType<string>().ToList();
            wasNullable = named.Contains("null");
            var kept = named.Where(t => t != "null").Distinct().ToList();
            schema.Remove("type");
            if (kept.Count == 1)
            {
                schema["type"] = kept[0];
            }
            else if (kept.Count > 1)
            {
                schema["anyOf"] = new JsonArray([.. kept.Select(t => (JsonNode)new JsonObject { ["type"] = t })]);
            }
        }

        Rewrite(schema, output, name);
        return (schema.Any(p => Constraining.Contains(p.Key)) ? schema : AnyValue(schema, output, name), wasNullable);
    }

    /// <summary>
    /// Gives a raw JSON value its kind (<see cref="ValueKinds"/>), else says "any JSON value" in a way every client
    /// reads: one single-type branch per JSON type.
    /// </summary>
    private static JsonObject AnyValue(JsonObject schema, bool output, string? name)
    {
        // Results may hold a JSON null inside map content (a feature property); arguments never need one.
        var types = name is not null && ValueKinds.TryGetValue(name, out var kinds) ? kinds : output ? [.. JsonTypes, "null"] : JsonTypes;
        if (types.Length == 1)
        {
            schema["type"] = types[0];
        }
        else
        {
            schema["anyOf"] = new JsonArray([.. types.Select(t => (JsonNode)new JsonObject { ["type"] = t })]);
        }

        return schema;
    }
}
