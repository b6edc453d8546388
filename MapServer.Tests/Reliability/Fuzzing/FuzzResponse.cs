using System.Text.Json;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// What came back for a fuzz request: the status (0 when there was none), the body as text (unread for a
/// stream), and whether the request hung past <see cref="FuzzSettings.CaseTimeout"/> or the connection failed.
/// </summary>
public sealed record FuzzResponse(int Status, string Body, bool TimedOut = false, string? TransportError = null)
{
    /// <summary>
    /// The JSON-RPC message in the body, whether sent as plain JSON or SSE-framed (<c>event: message\ndata: {...}</c>);
    /// null when the body holds none (an api error such as <c>{"error":"…","hint":"…"}</c> is not one).
    /// </summary>
    public JsonElement? JsonRpc()
    {
        var json = Body.TrimStart().StartsWith("event:", StringComparison.Ordinal) || Body.TrimStart().StartsWith("data:", StringComparison.Ordinal)
            ? string.Join("\n", Body.Split('\n').Where(line => line.StartsWith("data:", StringComparison.Ordinal)).Select(line => line[5..].Trim()))
            : Body;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("jsonrpc", out _)
                ? document.RootElement.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string Excerpt(int chars = 240) =>
        TimedOut ? $"no answer within {FuzzSettings.CaseTimeout.TotalSeconds:0} s"
        : TransportError is not null ? $"transport error: {TransportError}"
        : $"{Status} {FuzzRequest.Shorten(Body.ReplaceLineEndings(" "), chars)}";
}
