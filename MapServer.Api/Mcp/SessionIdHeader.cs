using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace MapServer.Api.Mcp;

/// <summary>
/// Every tool's <c>session_id</c> also travels as the <c>Mcp-Param-Session-Id</c> header where the client speaks the
/// 2026-07-28 header mapping (SEP-2243: <c>x-mcp-header</c> in the input schema), so a proxy can route or rate-limit
/// by session without reading bodies; the SDK's transport refuses a header that does not match the body.
/// </summary>
internal static class SessionIdHeader
{
    public const string Name = "Session-Id";

    /// <summary>Annotates <paramref name="tool"/>'s session_id parameter, once (calling it again changes nothing).</summary>
    public static void Annotate(Tool tool)
    {
        if (!tool.InputSchema.TryGetProperty("properties", out var properties)
            || !properties.TryGetProperty("session_id", out var sessionId)
            || sessionId.TryGetProperty("x-mcp-header", out _))
        {
            return;
        }

        var schema = JsonNode.Parse(tool.InputSchema.GetRawText())!;
        schema["properties"]!["session_id"]!["x-mcp-header"] = Name;
        tool.InputSchema = JsonSerializer.Deserialize(schema.ToJsonString(), MapServer.Api.Maps.MapJsonContext.Default.JsonElement);
    }
}
