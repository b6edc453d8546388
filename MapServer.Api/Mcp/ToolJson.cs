using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;

namespace MapServer.Api.Mcp;

/// <summary>
/// How tool results and output schemas are written: snake_case names like the inputs (session_id, viewer_url, layer_id),
/// absent rather than null for what a result does not have (so an optional field is never required-but-null), enums as their names.
/// Map content inside a result (MapLibre sources and style layers, GeoJSON) is JSON as given and keeps its own keys.
/// </summary>
public static class ToolJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly();
        return options;
    }
}
