using System.Collections.Concurrent;
using System.Diagnostics;
using MapServer.Api.Sessions;
using MapServer.Tests.Infrastructure;
using StackExchange.Redis;

namespace MapServer.Tests.Reliability;

/// <summary>
/// Two api replicas (real processes) on a real Redis Cluster of three masters and three replicas: sessions spread over
/// every shard, each session's keys in its own slot, and its changes on sharded pub/sub (SPUBLISH from the commit
/// script, SSUBSCRIBE in the session's slot) reach viewers on both replicas without a gap.
/// </summary>
[Trait("Tier", "Fault")]
[Collection(nameof(FaultCollection))]
public sealed class RedisClusterTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sessions_spread_over_every_shard_and_their_changes_reach_viewers_on_both_replicas_over_sharded_pub_sub()
    {
        await using var cluster = await RedisCluster.StartAsync(masters: 3);
        await using var first = await ApiProcess.StartAsync(cluster.ConnectionString);
        await using var second = await ApiProcess.StartAsync(cluster.ConnectionString);
        await using var firstAgent = await FaultAgent.ConnectAsync(first.BaseAddress, Token);
        await using var secondAgent = await FaultAgent.ConnectAsync(second.BaseAddress, Token);
        FaultAgent[] agents = [firstAgent, secondAgent];

        // 40 random ids all on two of three shards would happen 3 x (2/3)^40 = 3e-7 of the time.
        var sessions = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            sessions.Add(await agents[i % 2].CreateSessionAsync(Token));
        }

        using var redis = await cluster.ConnectAsync();
        var database = redis.GetDatabase();
        var shardOf = new Dictionary<string, string>();
        foreach (var session in sessions)
        {
            Assert.True(await database.KeyExistsAsync(RedisSessionKeys.StateKey(session)), $"map_state:{session} is not in the cluster");
            shardOf[session] = (await database.IdentifyEndpointAsync(RedisSessionKeys.StateKey(session)))!.ToString()!;
        }

        Assert.Equal(cluster.Masters, shardOf.Values.Distinct().Count());

        // Two sessions of each shard, each watched on both replicas, written through both.
        var watched = shardOf.GroupBy(s => s.Value).SelectMany(shard => shard.Take(2).Select(s => s.Key)).ToList();
        var viewers = watched.SelectMany(s => new[] { ResumingViewer.Open(first.BaseAddress, s), ResumingViewer.Open(second.BaseAddress, s) }).ToList();
        try
        {
            foreach (var viewer in viewers)
            {
                await viewer.WaitForVersionAsync(0, TimeSpan.FromSeconds(15));
            }

            foreach (var session in watched)
            {
                Assert.Equal(2, await ShardSubscribersAsync(redis, RedisSessionKeys.ShardedEventsChannel(session))); // one subscription per replica, on the session's shard
            }

            await Task.WhenAll(watched.Select(session => Task.Run(async () =>
            {
                for (var i = 0; i < 10; i++)
                {
                    var outcome = await agents[i % 2].AddMarkerAsync(session, $"m{i}", Token);
                    Assert.True(outcome.Succeeded, $"add_marker on {session} failed: {outcome.Text}");
                }
            }, Token)));

            foreach (var session in watched)
            {
                var state = await firstAgent.StateAsync(session, Token);
                Assert.Equal(10, state.GetProperty("annotations").EnumerateObject().Count());
                var version = state.GetProperty("version").GetInt64();
                foreach (var viewer in viewers.Where((_, i) => watched[i / 2] == session))
                {
                    await viewer.WaitForVersionAsync(version, TimeSpan.FromSeconds(15));
                    Assert.Empty(viewer.Gaps);
                }
            }
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task With_min_replica_acks_a_change_is_acknowledged_only_once_a_replica_has_it()
    {
        await using var cluster = await RedisCluster.StartAsync(masters: 3);
        await using var api = await ApiProcess.StartAsync(cluster.ConnectionString, new Dictionary<string, string> { ["MapServer:MinReplicaAcks"] = "1" });
        await using var agent = await FaultAgent.ConnectAsync(api.BaseAddress, Token);
        var session = await agent.CreateSessionAsync(Token);
        var replicated = await agent.AddMarkerAsync(session, "replicated", Token);
        Assert.True(replicated.Succeeded, $"add_marker with a healthy replica failed: {replicated.Text}");

        using var redis = await cluster.ConnectAsync();
        var key = RedisSessionKeys.StateKey(session);
        var master = redis.GetServer(key);
        var replica = cluster.Node(master.ClusterConfiguration!.GetBySlot(key)!.Children.Single().EndPoint!);
        replica.Pause();
        try
        {
            var unconfirmed = await agent.AddMarkerAsync(session, "unconfirmed", Token);
            Assert.False(unconfirmed.Succeeded, "a change no replica confirmed was acknowledged");
            Assert.False(unconfirmed.TransportFailed, $"the call broke instead of answering: {unconfirmed.Text}");
            Assert.Contains("get_map_state", unconfirmed.Text, StringComparison.Ordinal); // it says how to find out whether it was stored
            Assert.True(unconfirmed.Took < TimeSpan.FromSeconds(5), $"the unconfirmed change took {unconfirmed.Took.TotalSeconds:0.0} s to answer");
        }
        finally
        {
            replica.Resume();
        }

        var started = Stopwatch.GetTimestamp();
        ToolOutcome again;
        do
        {
            again = await agent.AddMarkerAsync(session, "after", Token);
        }
        while (!again.Succeeded && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(20));

        Assert.True(again.Succeeded, $"with its replica back, a change still failed: {again.Text}");
    }

    [Fact]
    public async Task A_killed_master_fails_its_shards_writes_clearly_until_its_replica_takes_over_and_no_acknowledged_change_is_lost()
    {
        await using var cluster = await RedisCluster.StartAsync(masters: 3);
        var settings = new Dictionary<string, string> { ["MapServer:MinReplicaAcks"] = "1" };
        await using var first = await ApiProcess.StartAsync(cluster.ConnectionString, settings);
        await using var second = await ApiProcess.StartAsync(cluster.ConnectionString, settings);
        await using var setup = await FaultAgent.ConnectAsync(first.BaseAddress, Token);
        using var redis = await cluster.ConnectAsync();

        // Two sessions on each shard; the first shard's master is the one killed.
        var shards = new Dictionary<string, List<string>>();
        for (var i = 0; i < 60 && (shards.Count < cluster.Masters || shards.Values.Any(s => s.Count < 2)); i++)
        {
            var session = await setup.CreateSessionAsync(Token);
            var shard = (await redis.GetDatabase().IdentifyEndpointAsync(RedisSessionKeys.StateKey(session)))!.ToString()!;
            shards.TryAdd(shard, []);
            if (shards[shard].Count < 2)
            {
                shards[shard].Add(session);
            }
        }

        Assert.True(shards.Count == cluster.Masters && shards.Values.All(s => s.Count == 2), "60 sessions did not give two on every shard");
        var sessions = shards.Values.SelectMany(s => s).ToList();
        var doomed = shards.Values.First();
        var master = redis.GetServer(RedisSessionKeys.StateKey(doomed[0]));
        var victim = cluster.Node(master.EndPoint);
        var heir = cluster.Node(master.ClusterConfiguration!.GetBySlot(RedisSessionKeys.StateKey(doomed[0]))!.Children.Single().EndPoint!);

        var viewers = sessions.SelectMany(s => new[] { ResumingViewer.Open(first.BaseAddress, s), ResumingViewer.Open(second.BaseAddress, s) }).ToList();
        var writes = sessions.ToDictionary(s => s, _ => new ConcurrentQueue<(string Marker, ToolOutcome Outcome, long At)>());
        using var stop = new CancellationTokenSource();
        try
        {
            foreach (var viewer in viewers)
            {
                await viewer.WaitForVersionAsync(0, TimeSpan.FromSeconds(15));
            }

            var writers = sessions.Select((session, w) => Task.Run(async () =>
            {
                await using var agent = await FaultAgent.ConnectAsync((w % 2 == 0 ? first : second).BaseAddress, Token);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var marker = $"w{w}-{i}";
                    var outcome = await agent.AddMarkerAsync(session, marker, Token);
                    writes[session].Enqueue((marker, outcome, Stopwatch.GetTimestamp()));
                    await Task.Delay(outcome.Succeeded ? 20 : 200, Token);
                }
            }, Token)).ToList();

            await Poll.UntilAsync(() => sessions.All(s => writes[s].Count(w => w.Outcome.Succeeded) >= 3), TimeSpan.FromSeconds(20), "writes did not start flowing");
            var killed = Stopwatch.GetTimestamp();
            victim.Kill();
            await RedisCluster.WaitUntilMasterAsync(heir, TimeSpan.FromSeconds(30));
            var promoted = Stopwatch.GetElapsedTime(killed);

            // As Kubernetes restarts the pod: the old master comes back as the new master's replica, so MinReplicaAcks can be met again.
            await victim.StartAsync();
            await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
            bool AcknowledgedSinceKill(string session) => writes[session].Any(w => w.Outcome.Succeeded && w.At > killed);
            await Poll.UntilAsync(() => doomed.All(AcknowledgedSinceKill), TimeSpan.FromSeconds(30), "the killed master's sessions took no change within 30 s of its replica's promotion and its return");
            var recovered = Stopwatch.GetElapsedTime(killed);
            await Task.Delay(TimeSpan.FromSeconds(1), Token);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            TestContext.Current.SendDiagnosticMessage($"replica promoted {promoted.TotalSeconds:0.0} s after the kill; the shard's writes were acknowledged again after {recovered.TotalSeconds:0.0} s");

            var failures = writes.Values.SelectMany(w => w).Where(w => !w.Outcome.Succeeded).Select(w => w.Outcome).ToList();
            Assert.NotEmpty(failures);
            Assert.All(failures, f =>
            {
                Assert.False(f.TransportFailed, $"a call broke instead of answering: {f.Text}");
                Assert.Contains("Map storage (Redis)", f.Text, StringComparison.Ordinal);
            });
            foreach (var session in sessions.Except(doomed))
            {
                Assert.True(writes[session].Any(w => w.Outcome.Succeeded && w.At > killed && Stopwatch.GetElapsedTime(killed, w.At) < promoted),
                    $"session {session}, on a shard that did not fail, took no change while the other shard failed over");
            }

            foreach (var session in sessions)
            {
                var state = await setup.StateAsync(session, Token);
                var markers = state.GetProperty("annotations").EnumerateObject().Select(a => a.Name).ToHashSet();
                var lost = writes[session].Where(w => w.Outcome.Succeeded && !markers.Contains(w.Marker)).Select(w => w.Marker).ToList();
                Assert.True(lost.Count == 0, $"session {session} lost acknowledged changes: {string.Join(", ", lost)}");
                Assert.Subset(writes[session].Select(w => w.Marker).ToHashSet(), markers);
                var version = state.GetProperty("version").GetInt64();
                foreach (var viewer in viewers.Where((_, i) => sessions[i / 2] == session))
                {
                    await viewer.WaitForVersionAsync(version, TimeSpan.FromSeconds(20));
                    Assert.Empty(viewer.Gaps);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var viewer in viewers)
            {
                await viewer.DisposeAsync();
            }
        }
    }

    /// <summary>Subscribers of a sharded channel over every node (each node counts its own clients).</summary>
    private static async Task<long> ShardSubscribersAsync(ConnectionMultiplexer redis, RedisChannel channel)
    {
        long total = 0;
        foreach (var server in redis.GetServers())
        {
            var reply = (RedisResult[])(await server.ExecuteAsync("PUBSUB", "SHARDNUMSUB", channel.ToString()))!;
            total += (long)reply[1];
        }

        return total;
    }
}
