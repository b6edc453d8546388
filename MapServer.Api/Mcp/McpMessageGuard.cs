using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>
/// Every incoming JSON-RPC request: params that are not an object (or tools/call arguments that are not one) are
/// refused with -32602 and a reason, and a failure the SDK would answer with its bare "An error occurred." says what
/// went wrong instead (unreadable text, map storage unavailable).
/// </summary>
public static class McpMessageGuard
{
    public static McpMessageHandler Wrap(McpMessageHandler next) =>
        async (context, cancellationToken) =>
        {
            if (context.JsonRpcMessage is JsonRpcRequest request && (Problem(request) ?? UnknownTool(request, context.Server.ServerOptions)) is { } problem)
            {
                throw new McpProtocolException(problem, McpErrorCode.InvalidParams);
            }

            try
            {
                await next(context, cancellationToken);
            }
            catch (Exception ex) when (ex is not McpException && !cancellationToken.IsCancellationRequested && context.JsonRpcMessage is JsonRpcRequest failed)
            {
                throw MapProblem.From(ex, changesMap: false) is { Kind: MapProblemKind.StorageUnavailable } storage
                    ? new McpProtocolException(storage.Message, ex, McpErrorCode.InternalError)
                    : new McpProtocolException(Printable($"'{failed.Method}' could not read its params: {ex.Message} Check them against the MCP specification for this method."), ex, McpErrorCode.InvalidParams);
            }
        };

    /// <summary>A message as the client will read it: unpaired surrogates (echoed from bad input) would make the answer unwritable.</summary>
    public static string Printable(string text)
    {
        if (!text.Any(char.IsSurrogate))
        {
            return text;
        }

        var printable = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            printable.Append(rune.ToString()); // EnumerateRunes yields U+FFFD for an unpaired surrogate
        }

        return printable.ToString();
    }

    private static string? Problem(JsonRpcRequest request) => request.Params switch
    {
        null or JsonObject when request.Method != RequestMethods.ToolsCall => null,
        JsonObject call => call["arguments"] is null or JsonObject
            ? null
            : $"tools/call's arguments must be a JSON object of the tool's arguments by name (e.g. {{\"session_id\": \"...\"}}), not {Kind(call["arguments"])}.",
        var other => $"params of '{Printable(request.Method)}' must be a JSON object of the method's parameters by name, not {Kind(other)}.",
    };

    /// <summary>
    /// A call of a tool this server does not have, refused here as a client's mistake (a warning in the log) before the
    /// SDK's dispatch, which logs it as an unhandled exception.
    /// </summary>
    private static string? UnknownTool(JsonRpcRequest request, McpServerOptions options) =>
        request.Method == RequestMethods.ToolsCall
        && request.Params?["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String
        && options.ToolCollection is { } tools && !tools.TryGetPrimitive(name.GetValue<string>(), out _)
            ? Printable($"Unknown tool: '{name.GetValue<string>()}'. Call tools/list for the tools this server has.")
            : null;

    private static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
