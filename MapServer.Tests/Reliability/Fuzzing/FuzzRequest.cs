using System.Text;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// One raw HTTP request a fuzz case sends. <see cref="Label"/> names what kind of input it is (no random
/// values), so failures group by kind; headers named Content-* go on the body.
/// </summary>
public sealed record FuzzRequest(string Label, string Method, string Path, byte[]? Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>The headers of a Streamable HTTP client's POST to /mcp.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> McpHeaders =
    [
        new("Content-Type", "application/json"),
        new("Accept", "application/json, text/event-stream"),
        new("MCP-Protocol-Version", "2025-06-18"),
    ];

    /// <summary>What failures group by: the label, or a coarser kind (a tool call's names the argument's type, not the tool).</summary>
    public string Kind { get; init; } = Label;

    /// <summary>The name of the tool a tools/call case calls, when it is one.</summary>
    public string? Tool { get; init; }

    /// <summary>Whether a successful answer is an endless SSE stream (only its status and headers are read).</summary>
    public bool Streams { get; init; }

    public static FuzzRequest McpPost(string label, byte[] body, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        new(label, "POST", "/mcp", body, headers ?? McpHeaders);

    /// <summary>What a failure report shows of this request: method, path, the unusual headers and the start of the body.</summary>
    public string Excerpt(int bodyChars = 160)
    {
        var shown = Headers.Where(h => !McpHeaders.Contains(h) || Headers.Count(other => other.Key == h.Key) > 1); // a doubled header shows both
        var headers = string.Join(" ", shown.Select(h => $"[{h.Key}: {Shorten(h.Value, 60)}]"));
        var body = Body is null ? "" : Shorten(Encoding.UTF8.GetString(Body), bodyChars) + (Body.Length > bodyChars ? $" ({Body.Length:N0} bytes)" : "");
        return $"{Method} {Shorten(Path, 100)} {headers} {body}".Replace("  ", " ", StringComparison.Ordinal).Trim();
    }

    internal static string Shorten(string text, int max) =>
        text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
