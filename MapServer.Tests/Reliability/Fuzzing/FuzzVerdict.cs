using System.Text.Json;
using System.Text.RegularExpressions;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// What is wrong with the answer to a fuzz request, if anything. Never: a 5xx, a hang, a dropped connection
/// (except mid-upload of an oversized body). For a tools/call: a JSON-RPC response (a 413 aside), whose error
/// has a message and whose isError result says why, not just the SDK's bare "An error occurred invoking '&lt;tool&gt;'.".
/// </summary>
public static partial class FuzzVerdict
{
    /// <summary>
    /// What Kestrel answers from the request line and headers alone, then closes: an 8 KB request line (414 beyond),
    /// 32 KB of headers (431 beyond) and a path that decodes to a NUL (<c>%00</c>: 400, an invalid request target).
    /// </summary>
    private static bool RefusedBeforeBody(FuzzRequest request) =>
        request.Method.Length + request.Path.Length + " HTTP/1.1".Length >= 8 * 1024
        || request.Headers.Sum(h => h.Key.Length + h.Value.Length + 4) >= 32 * 1024
        || request.Path.Split('?')[0].Contains("%00", StringComparison.Ordinal);

    public static string? Problem(FuzzRequest request, FuzzResponse response)
    {
        if (response.TimedOut)
        {
            return $"hang: no answer within {FuzzSettings.CaseTimeout.TotalSeconds:0} s";
        }

        if (response.TransportError is not null)
        {
            // A request the server refuses before reading its body (an oversized body: 413; or what RefusedBeforeBody lists)
            // may find the connection closed while it is still sending: that is the refusal, not a failure.
            return request.Body?.Length >= HttpGen.OversizedBytes || RefusedBeforeBody(request) ? null : "connection failed";
        }

        if (response.Status >= 500)
        {
            return $"HTTP {response.Status}";
        }

        return request is { Method: "POST", Path: "/mcp" } ? McpProblem(request, response) : null;
    }

    /// <summary>An answer that is not wrong but could say more: a JSON-RPC error whose message is a bare generic phrase.</summary>
    public static string? Note(FuzzResponse response) =>
        response.JsonRpc() is { } message && message.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String && IsGeneric(text.GetString()!)
            ? $"JSON-RPC error {(error.TryGetProperty("code", out var code) ? code.ToString() : "")} with a generic message: {text.GetString()}"
            : null;

    /// <summary>How a request was answered, for the coverage table: the status, and for JSON-RPC whether it was a result, an isError result or an error.</summary>
    public static string Outcome(FuzzResponse response)
    {
        if (response.TimedOut || response.TransportError is not null)
        {
            return response.TimedOut ? "hang" : "connection failed";
        }

        return response.JsonRpc() is not { } message ? $"{response.Status}"
            : message.TryGetProperty("error", out var error) ? $"{response.Status} error {(error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code) ? code.ToString() : "")}"
            : message.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object && result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True
                ? $"{response.Status} isError"
                : $"{response.Status} result";
    }

    private static string? McpProblem(FuzzRequest request, FuzzResponse response)
    {
        var message = response.JsonRpc();
        if (message is null)
        {
            return request.Tool is null || response.Status == 413 ? null
                : response.Status is >= 200 and < 300 ? "no JSON-RPC response in the body"
                : $"HTTP {response.Status} without a JSON-RPC error";
        }

        var answer = message.Value;
        if (answer.TryGetProperty("error", out var error))
        {
            return error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var text)
                && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString())
                ? null
                : "JSON-RPC error without a message";
        }

        if (answer.TryGetProperty("result", out var result))
        {
            return request.Tool is { } tool && result.ValueKind == JsonValueKind.Object
                && result.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True
                ? ReasonProblem(tool, result)
                : null;
        }

        return request.Tool is null ? null : "JSON-RPC message with neither result nor error";
    }

    /// <summary>What is wrong with an isError result's text: missing, the SDK's bare phrase, or only a generic one.</summary>
    private static string? ReasonProblem(string tool, JsonElement result)
    {
        var text = result.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? string.Join("\n", content.EnumerateArray()
                .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                .Select(c => c.GetProperty("text").GetString()))
            : "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return "isError without a text";
        }

        if (text.Trim() == $"An error occurred invoking '{tool}'.")
        {
            return "isError with only the SDK's bare \"An error occurred invoking '<tool>'.\"";
        }

        var prefix = $"An error occurred invoking '{tool}': ";
        var reason = text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
        return IsGeneric(reason) ? $"isError with a generic text: {reason}" : null;
    }

    private static bool IsGeneric(string text) => Generic().IsMatch(text);

    /// <summary>"An error occurred.", "Internal error", "Unexpected exception", "Error", … and nothing more.</summary>
    [GeneratedRegex(@"^\W*(an?\s+)?((unknown|unexpected|internal|unhandled|server)\s+)*(error|exception|failure)(\s+(has\s+)?occurred)?(\s+invoking\s+'[^']*')?\W*$", RegexOptions.IgnoreCase)]
    private static partial Regex Generic();
}
