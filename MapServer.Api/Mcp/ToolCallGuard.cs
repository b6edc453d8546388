using System.Diagnostics;
using System.Text.Json;
using MapServer.Api.Sessions;
using MapServer.Api.Telemetry;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>
/// Wraps every tool call: checks the arguments against the tool's schema first, turns every failure into an
/// isError result that says what went wrong and what to do (never the SDK's bare "An error occurred
/// invoking", never a protocol error for a tool's own failure), and records the call's outcome and duration.
/// It is MCP's adapter for <see cref="MapProblem"/>: tools and the gateway let the map's exceptions through to it.
/// </summary>
public static class ToolCallGuard
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            var name = context.Params?.Name ?? "";
            var tool = (context.MatchedPrimitive as McpServerTool)?.ProtocolTool;
            var metrics = context.Services?.GetService<MapMetrics>();
            var started = Stopwatch.GetTimestamp();
            var (result, outcome) = await CallAsync(next, context, tool, cancellationToken);
            metrics?.ToolCalled(name, outcome, Stopwatch.GetElapsedTime(started));
            return result;
        };

    private static async Task<(CallToolResult Result, string Outcome)> CallAsync(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next,
        RequestContext<CallToolRequestParams> context,
        Tool? tool,
        CancellationToken cancellationToken)
    {
        if (tool is not null)
        {
            ToolArguments.OmitNulls(tool.Name, tool.InputSchema, context.Params?.Arguments);
            if (OriginalServerArguments.Translate(tool.Name, context.Params?.Arguments) is { } contradiction)
            {
                return (Error(contradiction), "invalid_arguments");
            }
        }

        if (tool is not null && ToolArguments.Problem(tool.Name, tool.InputSchema, context.Params?.Arguments) is { } problem)
        {
            return (Error(problem), "invalid_arguments");
        }

        var changesMap = tool?.Annotations?.ReadOnlyHint != true;
        try
        {
            var result = await next(context, cancellationToken);
            return (result, result.IsError == true ? "rejected" : "ok");
        }
        catch (McpProtocolException)
        {
            throw; // the SDK's own protocol errors (unknown tool, bad request) stay JSON-RPC errors
        }
        catch (McpException ex)
        {
            return (Error(ex.Message), "rejected");
        }
        catch (Exception ex) when (MapProblem.From(ex, changesMap) is { } failure)
        {
            // The map's own failures (unknown session, refused change, limit, storage), answered as the tool error an agent reads.
            if (failure.Kind == MapProblemKind.StorageUnavailable)
            {
                Logger(context)?.LogWarning("Tool {Tool} failed: map storage unavailable ({Reason})", tool?.Name, ex.Message);
                return (Error(failure.Message), "storage_unavailable");
            }

            return (Error(failure.Message), "rejected");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the client went away or cancelled: nobody is waiting for a result
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("UTF-16", StringComparison.Ordinal) || ex.Message.Contains("transcode", StringComparison.OrdinalIgnoreCase))
        {
            return (Error($"an argument of '{tool?.Name}' holds text that is not valid Unicode (an unpaired surrogate escape such as \\ud800, or bytes that are not UTF-8). Send valid UTF-8 text; nothing was changed."), "invalid_arguments");
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or FormatException)
        {
            // What the schema check cannot see, e.g. a string where a GeoJSON object's member must be a number.
            return (Error($"an argument of '{tool?.Name}' could not be read: {ex.Message} Check the arguments against the tool's input schema (tools/list); nothing was changed."), "invalid_arguments");
        }
        catch (Exception ex)
        {
            Logger(context)?.LogError(ex, "Tool {Tool} failed unexpectedly", tool?.Name);
            return (Error(changesMap
                ? $"'{tool?.Name}' failed inside the map server ({ex.GetType().Name}). Call get_map_state to see whether the map changed before retrying; if it keeps failing, the operator's logs have the details."
                : $"'{tool?.Name}' failed inside the map server ({ex.GetType().Name}). Retry; if it keeps failing, the operator's logs have the details."), "failed");
        }
    }

    private static ILogger? Logger(RequestContext<CallToolRequestParams> context) =>
        context.Services?.GetService<ILoggerFactory>()?.CreateLogger(typeof(ToolCallGuard).FullName!);

    private static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = McpMessageGuard.Printable(message) }],
    };
}
