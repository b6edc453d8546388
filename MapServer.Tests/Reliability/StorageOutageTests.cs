using System.Collections.Concurrent;
using System.Diagnostics;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Reliability;

/// <summary>
/// Redis (Debian's redis-server with AOF, as production runs it) stopped, killed, paused and restarted under the api:
/// probes stay fast, calls fail quickly with an error an agent can act on, nothing acknowledged is lost, and every
/// viewer catches up by itself.
/// </summary>
[Trait("Tier", "Fault")]
[Collection(nameof(FaultCollection))]
public sealed class StorageOutageTests
{
    /// <summary>
    /// MapServer:StorageTimeout's default, and the slack the Redis client's timeout check (a once-a-second heartbeat)
    /// needs on a busy machine: in CI, with the whole suite on two cores, a call failed after 3.6 s.
    /// </summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(2.5);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task While_redis_is_down_health_is_503_within_a_second_calls_fail_fast_and_clearly_and_viewers_resume_when_it_returns()
    {
        await using var scene = await OneReplicaScene.StartAsync();
        var (redis, agent, http, session, viewer) = (scene.Redis, scene.Agent, scene.Http, scene.Session, scene.Viewer);

        redis.Terminate();

        var health = await TimedGetAsync(http, "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.True(health.Took < TimeSpan.FromSeconds(1), $"/health took {health.Took.TotalMilliseconds:0} ms");
        var alive = await TimedGetAsync(http, "/alive");
        Assert.Equal(HttpStatusCode.OK, alive.Status);

        foreach (var call in new[] { await agent.AddMarkerAsync(session, "during-outage", Token), await agent.CallAsync("get_map_state", new() { ["session_id"] = session }, Token) })
        {
            Assert.False(call.Succeeded);
            Assert.False(call.TransportFailed, call.Text); // an isError result, not a 5xx
            Assert.True(call.Took < FailFast, $"the call took {call.Took.TotalSeconds:0.0} s");
            Assert.Contains("Map storage (Redis) is unavailable", call.Text);
            Assert.DoesNotContain("An error occurred", call.Text);
        }

        await redis.StartAsync();
        var recovered = await UntilSucceededAsync(() => agent.AddMarkerAsync(session, "after-outage", Token), TimeSpan.FromSeconds(10));
        await viewer.WaitForVersionAsync(recovered.Version!.Value, TimeSpan.FromSeconds(10));
        Assert.Equal(1, viewer.Connections); // the stream stayed open through the outage
        Assert.Empty(viewer.Gaps);
        Assert.Equal(HttpStatusCode.OK, (await TimedGetAsync(http, "/health")).Status);
    }

    [Fact]
    public async Task A_paused_redis_fails_calls_within_the_timeout_keeps_alive_fast_and_recovers_fully_after_it_resumes()
    {
        await using var scene = await OneReplicaScene.StartAsync();
        var (redis, agent, http, session, viewer) = (scene.Redis, scene.Agent, scene.Http, scene.Session, scene.Viewer);

        redis.Pause();
        try
        {
            var call = await agent.AddMarkerAsync(session, "while-paused", Token);
            Assert.False(call.Succeeded);
            Assert.False(call.TransportFailed, call.Text);
            Assert.True(call.Took < FailFast, $"the call took {call.Took.TotalSeconds:0.0} s");
            Assert.Contains("Map storage (Redis)", call.Text); // sent but unanswered: it may still land, and the agent is told to check
            var alive = await TimedGetAsync(http, "/alive");
            Assert.Equal(HttpStatusCode.OK, alive.Status);
            Assert.True(alive.Took < TimeSpan.FromSeconds(1), $"/alive took {alive.Took.TotalMilliseconds:0} ms");
            var health = await TimedGetAsync(http, "/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
            Assert.True(health.Took < TimeSpan.FromSeconds(1), $"/health took {health.Took.TotalMilliseconds:0} ms");
        }
        finally
        {
            redis.Resume();
        }

        var recovered = await UntilSucceededAsync(() => agent.AddMarkerAsync(session, "after-pause", Token), TimeSpan.FromSeconds(10));
        await viewer.WaitForVersionAsync(recovered.Version!.Value, TimeSpan.FromSeconds(10));
        Assert.Empty(viewer.Gaps);
        var state = await agent.StateAsync(session, Token);
        Assert.True(state.GetProperty("annotations").TryGetProperty("after-pause", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Redis_stopped_mid_load_loses_no_acknowledged_marker_and_every_viewer_ends_gapless_at_the_final_version(bool killed)
    {
        await using var redis = await RedisServerProcess.StartDurableAsync();
        await using var replicaA = new ApiInstance(redis.ConnectionString);
        await using var replicaB = new ApiInstance(redis.ConnectionString);
        await using var setup = await FaultAgent.ConnectAsync(replicaA.BaseAddress, Token);
        var session = await setup.CreateSessionAsync(Token);
        var viewers = Enumerable.Range(0, 20).Select(i => ResumingViewer.Open((i % 2 == 0 ? replicaA : replicaB).BaseAddress, session)).ToList();
        try
        {
            foreach (var viewer in viewers)
            {
                await viewer.WaitForVersionAsync(0, TimeSpan.FromSeconds(15));
            }

            var acknowledged = new ConcurrentBag<string>();
            var attempted = new ConcurrentBag<string>();
            var failures = new ConcurrentBag<ToolOutcome>();
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                await using var agent = await FaultAgent.ConnectAsync((w % 2 == 0 ? replicaA : replicaB).BaseAddress, Token);
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var id = $"w{w}-{i}";
                    attempted.Add(id);
                    var outcome = await agent.AddMarkerAsync(session, id, Token);
                    if (outcome.Succeeded)
                    {
                        acknowledged.Add(id);
                    }
                    else
                    {
                        failures.Add(outcome);
                        await Task.Delay(100, Token);
                    }
                }
            }, Token)).ToList();

            // Under load (a busy machine) connecting takes a while: the outage starts once writes are flowing.
            var started = Stopwatch.GetTimestamp();
            while (acknowledged.IsEmpty && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50, Token);
            }

            await Task.Delay(TimeSpan.FromSeconds(1), Token);
            var before = acknowledged.Count;
            if (killed)
            {
                redis.Kill();
            }
            else
            {
                redis.Terminate();
            }

            await Task.Delay(TimeSpan.FromSeconds(2), Token);
            await redis.StartAsync();
            var restarted = Stopwatch.GetTimestamp();
            var countAtRestart = acknowledged.Count;
            while (acknowledged.Count == countAtRestart && Stopwatch.GetElapsedTime(restarted) < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50, Token);
            }

            Assert.True(acknowledged.Count > countAtRestart, "no write succeeded within 10 s of Redis returning");
            await Task.Delay(TimeSpan.FromSeconds(1.5), Token);
            await stop.CancelAsync();
            await Task.WhenAll(writers);

            Assert.True(before > 0, "no write succeeded before the outage");
            Assert.NotEmpty(failures);
            Assert.All(failures, f =>
            {
                Assert.False(f.TransportFailed, f.Text);
                Assert.Contains("Map storage (Redis)", f.Text);
                Assert.True(f.Took < FailFast, $"a call took {f.Took.TotalSeconds:0.0} s to fail");
            });

            var state = await setup.StateAsync(session, Token);
            var markers = state.GetProperty("annotations").EnumerateObject().Select(a => a.Name).ToHashSet();
            var lost = acknowledged.Where(id => !markers.Contains(id)).ToList();
            var spurious = markers.Where(id => !attempted.Contains(id)).ToList();
            Assert.True(lost.Count == 0, $"acknowledged but lost: {string.Join(", ", lost)}");
            Assert.True(spurious.Count == 0, $"never sent: {string.Join(", ", spurious)}");
            var version = state.GetProperty("version").GetInt64();
            foreach (var viewer in viewers)
            {
                await viewer.WaitForVersionAsync(version, TimeSpan.FromSeconds(15));
                Assert.Empty(viewer.Gaps);
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

    /// <summary>A redis-server with AOF, one replica on it, an agent with a session, and a viewer at its first version.</summary>
    private sealed class OneReplicaScene : IAsyncDisposable
    {
        private ApiInstance _api = null!;

        public RedisServerProcess Redis { get; private init; } = null!;

        public FaultAgent Agent { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public string Session { get; private set; } = null!;

        public ResumingViewer Viewer { get; private set; } = null!;

        public static async Task<OneReplicaScene> StartAsync()
        {
            var scene = new OneReplicaScene { Redis = await RedisServerProcess.StartDurableAsync() };
            scene._api = new ApiInstance(scene.Redis.ConnectionString);
            scene.Agent = await FaultAgent.ConnectAsync(scene._api.BaseAddress, Token);
            scene.Http = scene._api.CreateHttpClient();
            scene.Session = await scene.Agent.CreateSessionAsync(Token);
            scene.Viewer = ResumingViewer.Open(scene._api.BaseAddress, scene.Session);
            await scene.Viewer.WaitForVersionAsync(0, TimeSpan.FromSeconds(10));
            return scene;
        }

        public async ValueTask DisposeAsync()
        {
            await Viewer.DisposeAsync();
            Http.Dispose();
            await Agent.DisposeAsync();
            await _api.DisposeAsync();
            await Redis.DisposeAsync();
        }
    }

    private static async Task<(HttpStatusCode Status, TimeSpan Took)> TimedGetAsync(HttpClient http, string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, Token);
        return (response.StatusCode, Stopwatch.GetElapsedTime(started));
    }

    private static async Task<ToolOutcome> UntilSucceededAsync(Func<Task<ToolOutcome>> call, TimeSpan within)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var outcome = await call();
            if (outcome.Succeeded)
            {
                return outcome;
            }

            Assert.True(Stopwatch.GetElapsedTime(started) < within, $"still failing after {within.TotalSeconds:0} s: {outcome.Text}");
            await Task.Delay(200, Token);
        }
    }
}
