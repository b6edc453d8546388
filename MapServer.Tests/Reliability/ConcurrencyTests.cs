using System.Diagnostics;
using System.Globalization;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Reliability;

/// <summary>
/// Changes racing on one session from two replicas: every tool's change is computed by the reducer from the state
/// being committed, so a retry never re-applies a stale result, and undo cannot revert the same change twice.
/// </summary>
[Trait("Tier", "Fault")]
[Collection(nameof(FaultCollection))]
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private const int Trials = 10;

    private RedisServer _redis = null!;
    private ApiInstance _replicaA = null!;
    private ApiInstance _replicaB = null!;
    private FaultAgent _agentA = null!;
    private FaultAgent _agentB = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(RedisServer.Garnet);
        _replicaA = new ApiInstance(_redis.ConnectionString);
        _replicaB = new ApiInstance(_redis.ConnectionString);
        _agentA = await FaultAgent.ConnectAsync(_replicaA.BaseAddress, Token);
        _agentB = await FaultAgent.ConnectAsync(_replicaB.BaseAddress, Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _agentA.DisposeAsync();
        await _agentB.DisposeAsync();
        await _replicaA.DisposeAsync();
        await _replicaB.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Two_concurrent_undos_on_two_replicas_revert_two_different_changes()
    {
        for (var trial = 0; trial < Trials; trial++)
        {
            var session = await _agentA.CreateSessionAsync(Token);
            Assert.True((await _agentA.AddMarkerAsync(session, "first", Token)).Succeeded);
            Assert.True((await _agentA.AddMarkerAsync(session, "second", Token)).Succeeded);

            var undos = await Task.WhenAll(
                _agentA.CallAsync("undo", new() { ["session_id"] = session }, Token),
                _agentB.CallAsync("undo", new() { ["session_id"] = session }, Token));

            Assert.All(undos, u => Assert.True(u.Succeeded, u.Text));
            var annotations = (await _agentA.StateAsync(session, Token)).GetProperty("annotations");
            Assert.Empty(annotations.EnumerateObject()); // both changes reverted, not the second one twice
        }
    }

    [Fact]
    public async Task An_import_racing_a_change_on_another_replica_keeps_that_change()
    {
        const string style = """
            {"version":8,"sources":{"imported":{"type":"geojson","data":{"type":"FeatureCollection","features":[]}}},"layers":[]}
            """;
        for (var trial = 0; trial < Trials; trial++)
        {
            var session = await _agentA.CreateSessionAsync(Token);
            var results = await Task.WhenAll(
                _agentA.CallAsync("import_map", new() { ["session_id"] = session, ["style"] = System.Text.Json.JsonDocument.Parse(style).RootElement }, Token),
                _agentB.AddMarkerAsync(session, "racing", Token));

            Assert.All(results, r => Assert.True(r.Succeeded, r.Text));
            var state = await _agentA.StateAsync(session, Token);
            Assert.True(state.GetProperty("annotations").TryGetProperty("racing", out _), $"trial {trial}: the marker added during the import was lost");
            Assert.True(state.GetProperty("layers").TryGetProperty("imported", out _), $"trial {trial}: the import was lost");
        }
    }

    [Fact]
    public async Task A_change_with_if_version_applies_only_to_that_version_and_says_which_is_current()
    {
        var session = await _agentA.CreateSessionAsync(Token);
        var first = await _agentA.CallAsync("set_map_view", new() { ["session_id"] = session, ["zoom"] = 4, ["if_version"] = 0 }, Token);
        Assert.True(first.Succeeded, first.Text);

        var stale = await _agentB.CallAsync("set_map_view", new() { ["session_id"] = session, ["zoom"] = 9, ["if_version"] = 0 }, Token);
        Assert.False(stale.Succeeded);
        Assert.Contains("at version 1, not 0", stale.Text);
        Assert.Contains("Nothing was changed", stale.Text);
        var state = await _agentA.StateAsync(session, Token);
        Assert.Equal(1, state.GetProperty("version").GetInt64());
        Assert.Equal(4, state.GetProperty("zoom").GetDouble());

        var staleUndo = await _agentB.CallAsync("undo", new() { ["session_id"] = session, ["if_version"] = 0 }, Token);
        Assert.False(staleUndo.Succeeded);
        Assert.Contains("at version 1, not 0", staleUndo.Text);
    }

    [Fact]
    public async Task A_replica_far_from_redis_gets_an_answer_in_bounded_time_while_a_near_one_writes_the_same_map_fast()
    {
        await using var slowLink = new TcpProxy(new Uri($"tcp://{_redis.ConnectionString}")) { Latency = TimeSpan.FromMilliseconds(100) };
        await using var far = new ApiInstance($"127.0.0.1:{slowLink.Address.Port.ToString(CultureInfo.InvariantCulture)}");
        await using var farAgent = await FaultAgent.ConnectAsync(far.BaseAddress, Token);
        var session = await _agentA.CreateSessionAsync(Token);
        await WarmUpAsync(farAgent, session); // the race below is about contention, not a fresh replica connecting over the slow link
        using var stop = new CancellationTokenSource();
        var near = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await _agentA.AddMarkerAsync(session, $"near-{i}", Token);
            }
        }, Token);

        try
        {
            var call = await farAgent.AddMarkerAsync(session, "far", Token);
            Assert.True(call.Took < TimeSpan.FromSeconds(5), $"the far replica's call took {call.Took.TotalSeconds:0.0} s");
            Assert.True(call.Succeeded || call.Text.Contains("Send it again", StringComparison.Ordinal), call.Text);
        }
        finally
        {
            await stop.CancelAsync();
            await near;
        }
    }

    /// <summary>One uncontended write through the replica, retried while it is still connecting (at most 20 s).</summary>
    private static async Task WarmUpAsync(FaultAgent agent, string session)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 20;
        ToolOutcome outcome;
        do
        {
            outcome = await agent.AddMarkerAsync(session, "warm-up", Token);
        }
        while (!outcome.Succeeded && Stopwatch.GetTimestamp() < deadline);

        Assert.True(outcome.Succeeded, $"the replica never wrote: {outcome.Text}");
    }
}
