using MapServer.Tests.Infrastructure;
using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Reliability;

/// <summary>What one tool call came to: success (and the version it made), a tool error's text, or a failure of the call itself.</summary>
public sealed record ToolOutcome(bool Succeeded, bool TransportFailed, string Text, long? Version, TimeSpan Took);

/// <summary>
/// An agent (a real MCP client over Streamable HTTP) that never throws: every call ends in a <see cref="ToolOutcome"/>,
/// so a fault test can count what succeeded, what failed clearly, and what failed as a broken call (5xx, reset).
/// </summary>
public sealed class FaultAgent(McpClient client) : IAsyncDisposable
{
    public static async Task<FaultAgent> ConnectAsync(Uri baseAddress, CancellationToken cancellationToken) =>
        new(await AgentConnection.ConnectAsync(
            new HttpClientTransportOptions { Endpoint = new Uri(baseAddress, "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }, cancellationToken));

    public async Task<ToolOutcome> CallAsync(string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
            var text = string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
            long? version = result.StructuredContent is { ValueKind: JsonValueKind.Object } content && content.TryGetProperty("version", out var v) ? v.GetInt64() : null;
            return new ToolOutcome(result.IsError != true, false, text, version, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new ToolOutcome(false, true, Describe(ex), null, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>The exception and its causes, so a failed call says whether it was a reset, a refusal or a status.</summary>
    private static string Describe(Exception ex) =>
        ex.InnerException is { } cause ? $"{ex.GetType().Name}: {ex.Message} <- {Describe(cause)}" : $"{ex.GetType().Name}: {ex.Message}";

    public async Task<string> CreateSessionAsync(CancellationToken cancellationToken)
    {
        var created = await client.CallToolAsync("create_map_session", cancellationToken: cancellationToken);
        Assert.True(created.IsError != true, "create_map_session failed");
        return created.StructuredContent!.Value.GetProperty("session_id").GetString()!;
    }

    /// <summary>Adds a marker; its id says who wrote it and when.</summary>
    public Task<ToolOutcome> AddMarkerAsync(string session, string markerId, CancellationToken cancellationToken) =>
        CallAsync("add_marker", new() { ["session_id"] = session, ["marker_id"] = markerId, ["longitude"] = 2.35, ["latitude"] = 48.85 }, cancellationToken);

    /// <summary>The session's state as get_map_state returns it.</summary>
    public async Task<JsonElement> StateAsync(string session, CancellationToken cancellationToken)
    {
        var result = await client.CallToolAsync("get_map_state", new Dictionary<string, object?> { ["session_id"] = session }, cancellationToken: cancellationToken);
        Assert.True(result.IsError != true, $"get_map_state failed: {string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text))}");
        return result.StructuredContent!.Value;
    }

    public ValueTask DisposeAsync() => client.DisposeAsync();
}
