using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace MapServer.Api.Mcp;

/// <summary>
/// In front of the MCP endpoint: a POST must carry one JSON Content-Type, and a message the SDK cannot read (junk
/// initialize params, broken text) is answered with a JSON-RPC error and 400 instead of a 500, saying what to send.
/// </summary>
public sealed class McpRequestGuard(RequestDelegate next, ILogger<McpRequestGuard> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method) && ContentTypeProblem(context.Request) is { } problem)
        {
            await RejectAsync(context, StatusCodes.Status415UnsupportedMediaType, -32600, problem);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested && IsUnreadableMessage(ex))
        {
            logger.LogInformation("Refused an unreadable MCP message: {Reason}", ex.Message);
            var status = ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            await RejectAsync(context, status, -32700,
                $"The request is not an MCP JSON-RPC message this server can read: {ex.Message} Send one JSON-RPC 2.0 object (UTF-8, no unpaired surrogates) whose params match the method, e.g. initialize with protocolVersion, capabilities {{}} and clientInfo {{name, version}}.");
        }
    }

    private static string? ContentTypeProblem(HttpRequest request)
    {
        var values = request.Headers.ContentType;
        if (values.Count == 1 && MediaTypeHeaderValue.TryParse(values[0], out var mediaType)
            && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return values.Count switch
        {
            0 => "Send the JSON-RPC message with Content-Type: application/json (none was sent).",
            1 => $"Send the JSON-RPC message with Content-Type: application/json, not '{values[0]}'.",
            _ => $"Send exactly one Content-Type header, application/json (got {values.Count}: {string.Join(", ", values.Select(v => $"'{v}'"))}).",
        };
    }

    /// <summary>Failures to read the message itself; tool failures never get here (tools answer isError results).</summary>
    private static bool IsUnreadableMessage(Exception ex) =>
        ex is JsonException or BadHttpRequestException or FormatException or System.Text.DecoderFallbackException
        || (ex is InvalidOperationException && (ex.InnerException is JsonException || ex.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("UTF", StringComparison.Ordinal)));

    private static async Task RejectAsync(HttpContext context, int status, int code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("jsonrpc", "2.0");
        json.WriteNull("id");
        json.WritePropertyName("error");
        json.WriteStartObject();
        json.WriteNumber("code", code);
        json.WriteString("message", message);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
