using System.Collections.Concurrent;
using System.Diagnostics;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Reliability;

/// <summary>
/// Two api replicas (real processes) behind nginx, viewers and an agent on the proxy: one replica is killed (SIGKILL,
/// as when its node dies) or stopped (SIGTERM, as Kubernetes does). Every viewer resumes on the survivor with
/// Last-Event-ID and misses no version; a stopped replica finishes what it was doing and exits promptly.
/// </summary>
[Trait("Tier", "Fault")]
[Collection(nameof(FaultCollection))]
public sealed class ReplicaFailoverTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Viewers_resume_on_the_surviving_replica_with_no_missed_version(bool killed)
    {
        NginxProxy.SkipUnlessInstalled();
        await using var redis = await RedisServerProcess.StartDurableAsync();
        await using var slowLink = new TcpProxy(new Uri($"tcp://{redis.ConnectionString}")); // lets a call be in flight when SIGTERM comes
        await using var leaving = await ApiProcess.StartAsync($"127.0.0.1:{slowLink.Address.Port}");
        await using var staying = await ApiProcess.StartAsync(redis.ConnectionString);
        // The leaving replica's endpoint, as the Service sees it: taking the pod out of the Service sends new connections
        // to the other pod and leaves open streams where they are (ingress-nginx changes endpoints without a reload).
        await using var endpoint = new TcpProxy(leaving.BaseAddress);
        await using var proxy = await NginxProxy.StartAsync(endpoint.Address, staying.BaseAddress);
        await using var setup = await FaultAgent.ConnectAsync(proxy.BaseAddress, Token);
        var session = await setup.CreateSessionAsync(Token);
        var viewers = Enumerable.Range(0, 10).Select(_ => ResumingViewer.Open(proxy.BaseAddress, session)).ToList();
        try
        {
            foreach (var viewer in viewers)
            {
                await viewer.WaitForVersionAsync(0, TimeSpan.FromSeconds(15));
            }

            var acknowledged = new ConcurrentBag<string>();
            var failures = new ConcurrentBag<ToolOutcome>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
            {
                await using var agent = await FaultAgent.ConnectAsync(proxy.BaseAddress, Token);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var outcome = await agent.AddMarkerAsync(session, $"w{w}-{i}", Token);
                    (outcome.Succeeded ? (Action)(() => acknowledged.Add($"w{w}-{i}")) : () => failures.Add(outcome))();
                    await Task.Delay(20, Token);
                }
            }, Token)).ToList();

            // Under load (a busy machine) connecting takes a while: the fault comes once writes are flowing.
            var started = Stopwatch.GetTimestamp();
            while (acknowledged.IsEmpty && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50, Token);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), Token);
            if (killed)
            {
                leaving.Kill();
            }
            else
            {
                // As Kubernetes does it: the pod leaves the Service (preStop delay), then gets SIGTERM with a call in flight.
                endpoint.Target = staying.BaseAddress;
                await using var direct = await FaultAgent.ConnectAsync(leaving.BaseAddress, Token);
                var quiet = await direct.CreateSessionAsync(Token); // a session of its own: no race with the writers
                slowLink.Latency = TimeSpan.FromMilliseconds(100);
                var inFlight = direct.AddMarkerAsync(quiet, "in-flight", Token);
                await Task.Delay(100, Token);
                var exit = await leaving.TerminateAsync(TimeSpan.FromSeconds(20));
                var finished = await inFlight;
                Assert.True(finished.Succeeded, $"the call in flight at SIGTERM failed: {finished.Text}");
                Assert.True(exit < TimeSpan.FromSeconds(10), $"the stopped replica took {exit.TotalSeconds:0.0} s to exit (the overlay's grace period is 30 s)");
            }

            await Task.Delay(TimeSpan.FromSeconds(2), Token);
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            if (!killed)
            {
                Assert.True(failures.IsEmpty, $"calls failed while a replica stopped gracefully: {string.Join("; ", failures.Select(f => f.Text))}");
            }

            var state = await setup.StateAsync(session, Token);
            var markers = state.GetProperty("annotations").EnumerateObject().Select(a => a.Name).ToHashSet();
            var lost = acknowledged.Where(id => !markers.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"acknowledged but lost: {string.Join(", ", lost)}");
            var version = state.GetProperty("version").GetInt64();
            foreach (var viewer in viewers)
            {
                await viewer.WaitForVersionAsync(version, TimeSpan.FromSeconds(15));
                Assert.Empty(viewer.Gaps);
            }

            Assert.Contains(viewers, v => v.Connections > 1); // some viewers were on the replica that left, and came back through the proxy
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }
}
