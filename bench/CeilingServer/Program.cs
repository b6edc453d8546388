using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ModelContextProtocol.Server;

// Reference servers for bench/run, on the same runtime and SDK as MapServer.Api:
// - /mcp: the fastest an MCP tool call can be (stateless Streamable HTTP, one tool, a small structured
//   result built in memory, no I/O); bench/run divides MapServer's calls/s by this one's.
// - /events + POST /publish: a bare SSE broadcaster (one in-memory channel per stream, the same SSE
//   writer as the api); bench/fanout.py compares the api's fan-out latency and memory with it.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMcpServer(server => server.ServerInfo = new() { Name = "CeilingServer", Version = "1.0.0" })
    .WithHttpTransport(http => http.Stateless = true)
    .WithToolsFromAssembly();

var app = builder.Build();
app.MapGet("/health", () => "ok");
app.MapMcp("/mcp");
app.MapGet("/events", (HttpContext http, CancellationToken cancellationToken) =>
{
    http.Response.Headers.CacheControl = "no-cache";
    return TypedResults.ServerSentEvents(Broadcaster.Stream(cancellationToken));
});
app.MapPost("/publish", () => TypedResults.Ok(Broadcaster.Publish()));
app.Run();

[McpServerToolType]
internal static class CeilingTools
{
    private static long _version;

    [McpServerTool(Name = "set_map_view", UseStructuredContent = true)]
    [Description("Moves the camera (does nothing: a ceiling reference).")]
    public static ViewResult SetMapView(
        [Description("The map session's id.")] string session_id,
        [Description("Zoom level 0-24.")] double zoom) =>
        new(session_id, Interlocked.Increment(ref _version), $"zoom {zoom}");
}

internal sealed record ViewResult(string SessionId, long Version, string Summary);

internal static class Broadcaster
{
    private static readonly ConcurrentDictionary<Channel<SseItem<string>>, byte> Streams = new();
    private static long _version;

    /// <summary>One <c>snapshot</c> event (the stream is subscribed), then every published <c>change</c>.</summary>
    public static async IAsyncEnumerable<SseItem<string>> Stream([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<SseItem<string>>(new UnboundedChannelOptions { SingleReader = true });
        Streams.TryAdd(channel, 0);
        try
        {
            yield return new SseItem<string>($$"""{"version":{{Interlocked.Read(ref _version)}}}""", "snapshot");
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            Streams.TryRemove(channel, out _);
        }
    }

    /// <summary>Writes one <c>change</c> event to every open stream; returns how many streams it reached.</summary>
    public static int Publish()
    {
        var version = Interlocked.Increment(ref _version);
        var item = new SseItem<string>(string.Create(CultureInfo.InvariantCulture, $"{{\"version\":{version},\"patch\":{{\"view\":{{\"zoom\":{version % 20}}}}}}}"), "change") { EventId = version.ToString(CultureInfo.InvariantCulture) };
        var reached = 0;
        foreach (var channel in Streams.Keys)
        {
            if (channel.Writer.TryWrite(item))
            {
                reached++;
            }
        }

        return reached;
    }
}
