using System.Net.Sockets;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Reliability;

/// <summary>
/// A viewer that stops reading its stream (a stuck tab, a dead network path that still holds the socket) under a
/// burst of large changes: its bounded queue fills and it is dropped, while a viewer beside it keeps up gaplessly.
/// </summary>
[Trait("Tier", "Fault")]
[Collection(nameof(FaultCollection))]
public sealed class SlowViewerTests
{
    private const int QueueLength = 16;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_viewer_that_stops_reading_is_dropped_without_delaying_the_viewer_beside_it()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        await using var api = new ApiInstance(redis.ConnectionString, new Dictionary<string, string?> { ["MapServer:ViewerQueueLength"] = QueueLength.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await using var agent = await FaultAgent.ConnectAsync(api.BaseAddress, Token);
        var session = await agent.CreateSessionAsync(Token);
        await using var keepingUp = ResumingViewer.Open(api.BaseAddress, session);
        await keepingUp.WaitForVersionAsync(0, TimeSpan.FromSeconds(10));

        using var stuck = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stuck.ConnectAsync(api.BaseAddress.Host, api.BaseAddress.Port, Token);
        await stuck.SendAsync(System.Text.Encoding.ASCII.GetBytes($"GET /events?session={session} HTTP/1.1\r\nHost: {api.BaseAddress.Authority}\r\nConnection: close\r\n\r\n"), Token);

        var popup = new string('x', 10_000); // every change event carries 10 KB: the stuck socket's buffers fill fast
        long last = 0;
        for (var i = 0; i < 500; i++)
        {
            var change = await agent.CallAsync("add_marker", new() { ["session_id"] = session, ["marker_id"] = $"m{i}", ["longitude"] = 2.35, ["latitude"] = 48.85, ["popup"] = popup }, Token);
            Assert.True(change.Succeeded, change.Text);
            last = change.Version!.Value;
        }

        await keepingUp.WaitForVersionAsync(last, TimeSpan.FromSeconds(5));
        Assert.Empty(keepingUp.Gaps);
        Assert.Equal(1, keepingUp.Connections);

        // Reading now, the stuck viewer gets what was already on its way, then the end of the stream: it was dropped,
        // not kept with an ever-growing backlog (which would stream all 500 changes and then heartbeats forever).
        var received = 0L;
        var buffer = new byte[64 * 1024];
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            var read = await stuck.ReceiveAsync(buffer, deadline.Token);
            if (read == 0)
            {
                break;
            }

            received += read;
        }

        Assert.True(received < 500L * popup.Length, $"the stuck viewer was sent {received:N0} bytes: the whole burst, so it was never dropped");
    }
}
