using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using ModelContextProtocol.Protocol;

namespace MapServer.Api.Mcp;

/// <summary>
/// The argument names of the original mcp-map-server, which agents and prompts written for it send: <c>id</c> for
/// <c>layer_id</c>, toggle_layer's <c>action</c> for <c>visibility</c>, and add_layer's <c>type</c> ("raster" | "vector",
/// which this server reads from the source itself). Each is declared in the tool's input schema as what it is, and
/// renamed (or, for <c>type</c>, checked and set aside) before the call is bound; every other unknown name stays refused.
/// </summary>
internal static class OriginalServerArguments
{
    private sealed record Alias(string Name, string For);

    private static readonly Dictionary<string, Alias[]> Aliases = new(StringComparer.Ordinal)
    {
        ["add_layer"] = [new("id", "layer_id")],
        ["remove_layer"] = [new("id", "layer_id")],
        ["toggle_layer"] = [new("id", "layer_id"), new("action", "visibility")],
        ["reset_layer_style"] = [new("id", "layer_id")],
    };

    /// <summary>add_layer's <c>type</c> in the original: the kind of its source, which the source spec says again.</summary>
    private const string LayerType = "type";

    private static readonly string[] LayerTypes = ["raster", "vector"];

    /// <summary>Declares the original's names in <paramref name="tool"/>'s input schema (once: calling it again changes nothing).</summary>
    public static void Declare(Tool tool)
    {
        var aliases = Aliases.GetValueOrDefault(tool.Name, []);
        var declaresType = tool.Name == "add_layer";
        if ((aliases.Length == 0 && !declaresType) || !tool.InputSchema.TryGetProperty("properties", out var existing)
            || existing.TryGetProperty(aliases.FirstOrDefault()?.Name ?? LayerType, out _))
        {
            return;
        }

        var schema = JsonNode.Parse(tool.InputSchema.GetRawText())!;
        var properties = schema["properties"]!.AsObject();
        foreach (var alias in aliases)
        {
            var declared = properties[alias.For]?.DeepClone().AsObject() ?? [];
            declared.Remove("default");
            declared["description"] = $"The original mcp-map-server's name for {alias.For}; give one of the two.";
            properties[alias.Name] = declared;
        }

        if (declaresType)
        {
            properties[LayerType] = new JsonObject
            {
                ["description"] = "Optional, as the original mcp-map-server took it: 'raster' or 'vector'. This server reads the kind from source.type, so it only has to agree with it.",
                ["type"] = "string",
                ["enum"] = new JsonArray([.. LayerTypes.Select(t => (JsonNode)t)]),
            };
        }

        tool.InputSchema = JsonSerializer.Deserialize(schema.ToJsonString(), MapJsonContext.Default.JsonElement);
    }

    /// <summary>
    /// Renames the original's arguments of <paramref name="toolName"/> to this server's, before the schema check; what is
    /// wrong or contradicts itself (both names with different values, a type the source does not have) is the answer.
    /// </summary>
    public static string? Translate(string toolName, IDictionary<string, JsonElement>? arguments)
    {
        if (arguments is null)
        {
            return null;
        }

        foreach (var alias in Aliases.GetValueOrDefault(toolName, []))
        {
            if (!arguments.Remove(alias.Name, out var value))
            {
                continue;
            }

            if (arguments.TryGetValue(alias.For, out var given) && given.GetRawText() != value.GetRawText())
            {
                return $"'{toolName}' got both {alias.Name} ({value.GetRawText()}) and {alias.For} ({given.GetRawText()}); they name the same thing: give one. Nothing was changed.";
            }

            arguments[alias.For] = value;
        }

        if (toolName == "add_layer" && arguments.Remove(LayerType, out var type))
        {
            if (type.ValueKind != JsonValueKind.String || !LayerTypes.Contains(type.GetString()))
            {
                return $"add_layer's type must be 'raster' or 'vector' (as the original mcp-map-server took it), not {type.GetRawText()}; or leave it out: the source says what it is. Nothing was changed.";
            }

            var kind = arguments.TryGetValue("source", out var source) && source.ValueKind == JsonValueKind.Object && source.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
            // The original drew GeoJSON through its "vector" path; raster and vector must match their own sources.
            if (kind is "raster" or "vector" && kind != type.GetString())
            {
                return $"add_layer's type is '{type.GetString()}' but source.type is '{kind}'; they must agree (or leave type out: the source says what it is). Nothing was changed.";
            }
        }

        return null;
    }
}
