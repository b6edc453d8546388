using System.Globalization;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Reliability;

/// <summary>
/// One replica's link to Redis fails (reset, or silently dropped) while another replica keeps writing: Redis pub/sub
/// drops what it published meanwhile, yet once the link heals that replica's viewers reach the latest version with no
/// further write.
/// </summary>
[Trait("Tier", "Fault")]
[Collection(nameof(FaultCollection))]
public sealed class PartitionTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("reset", 3)]
    [InlineData("blackhole", 9)] // longer than keep-alive (5 s) plus the timeout: the client gives the silent link up and reconnects
    public async Task After_its_link_to_redis_heals_a_replica_s_viewers_catch_up_without_another_write(string fault, int seconds)
    {
        await using var redis = await RedisServerProcess.StartDurableAsync();
        await using var link = new TcpProxy(new Uri($"tcp://{redis.ConnectionString}"));
        await using var writer = new ApiInstance(redis.ConnectionString);
        await using var cutOff = new ApiInstance($"127.0.0.1:{link.Address.Port.ToString(CultureInfo.InvariantCulture)}");
        await using var agent = await FaultAgent.ConnectAsync(writer.BaseAddress, Token);
        var session = await agent.CreateSessionAsync(Token);
        await using var viewer = ResumingViewer.Open(cutOff.BaseAddress, session);
        await viewer.WaitForVersionAsync(0, TimeSpan.FromSeconds(10));
        var first = await agent.AddMarkerAsync(session, "before", Token);
        await viewer.WaitForVersionAsync(first.Version!.Value, TimeSpan.FromSeconds(10));

        if (fault == "reset")
        {
            link.Sever();
        }
        else
        {
            link.Blackhole();
        }

        long last = 0;
        for (var i = 0; i < 5; i++)
        {
            var change = await agent.AddMarkerAsync(session, $"during-{i}", Token);
            Assert.True(change.Succeeded, change.Text);
            last = change.Version!.Value;
        }

        await Task.Delay(TimeSpan.FromSeconds(seconds), Token);
        Assert.True(viewer.Version < last, "the cut-off replica should not have seen the changes yet");
        link.Restore();

        await viewer.WaitForVersionAsync(last, TimeSpan.FromSeconds(15));
        Assert.Empty(viewer.Gaps);
    }
}
