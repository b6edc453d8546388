using System.Collections.Concurrent;
using System.Text.Json;
using MapServer.Api.Data;
using MapServer.Api.Events;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using MapServer.Api.Telemetry;
using MapServer.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StackExchange.Redis.Profiling;

namespace MapServer.Tests.Sessions;

/// <summary>The Redis store against real servers: the embedded Garnet and Debian's redis-server.</summary>
[Trait("Tier", "App")]
public sealed class RedisMapSessionStoreTests
{
    /// <summary>A replica's store on <paramref name="redis"/>, as the api builds it (the system clock unless <paramref name="changes"/> says otherwise).</summary>
    internal static RedisMapSessionStore CreateStore(IConnectionMultiplexer redis, MapServerOptions? options = null, MapChanges? changes = null)
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        return new RedisMapSessionStore(
            redis,
            changes ?? new MapChanges(TimeProvider.System),
            new MemoryCache(new MemoryCacheOptions { SizeLimit = 1000 }),
            new MapMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            Options.Create(options ?? new MapServerOptions()));
    }

    /// <summary>A replica's event feed on <paramref name="redis"/>, as the api builds it.</summary>
    internal static RedisMapEventFeed CreateFeed(IConnectionMultiplexer redis) =>
        new(redis, new MapMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisMapEventFeed>.Instance);

    /// <summary>An add_layer of <paramref name="points"/> GeoJSON points with its data stored beside the state, as the tool does it.</summary>
    private static async Task<MapOperation> AddPointsLayerAsync(IConnectionMultiplexer redis, string sessionId, int points, MapServerOptions? options = null)
    {
        var features = string.Join(",", Enumerable.Range(0, points).Select(i =>
            $$$"""{"type":"Feature","geometry":{"type":"Point","coordinates":[{{{i % 360 - 180}}},{{{i % 170 - 85}}}]},"properties":{"name":"point {{{i}}}","value":{{{i}}}}}"""));
        var source = JsonDocument.Parse($$$"""{"type":"geojson","data":{"type":"FeatureCollection","features":[{{{features}}}]}}""").RootElement.Clone();
        var settings = Options.Create(options ?? new MapServerOptions());
        var storage = new LayerDataStorage(new RedisLayerDataStore(redis, settings), settings);
        return await storage.OffloadAsync(sessionId, new AddLayer("points", source), TestContext.Current.CancellationToken);
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task A_change_to_a_map_holding_megabytes_of_layer_data_sends_redis_only_what_changed(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var proxy = new TcpProxy(new Uri($"http://{server.ConnectionString}"));
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{proxy.Address.Host}:{proxy.Address.Port}");
        var store = CreateStore(redis);
        var id = await store.CreateAsync(owner: null, TestContext.Current.CancellationToken);
        await store.ApplyAsync(id, await AddPointsLayerAsync(redis, id, 20_000), TestContext.Current.CancellationToken);
        await store.ApplyAsync(id, new SetView(Zoom: 3), TestContext.Current.CancellationToken); // the script is loaded

        var before = proxy.BytesSent;
        await store.ApplyAsync(id, new SetView(Zoom: 4), TestContext.Current.CancellationToken);
        var sent = proxy.BytesSent - before;

        var state = (string?)await redis.GetDatabase().StringGetAsync(RedisSessionKeys.StateKey(id));
        var data = JsonDocument.Parse(state!).RootElement.GetProperty("layers").GetProperty("points").GetProperty("data");
        Assert.True(data.GetProperty("bytes").GetInt64() > 1_000_000, "the layer holds megabytes of GeoJSON");
        Assert.True(state!.Length < 2_000, $"map_state holds {state.Length} bytes: the data must live beside it");
        Assert.True(sent < 4_000, $"one set_map_view sent {sent} bytes to Redis");
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Layer_data_lives_as_long_as_its_session_and_each_change_extends_both(string backend)
    {
        var options = new MapServerOptions { SessionTtl = TimeSpan.FromSeconds(3) };
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = CreateStore(redis, options);
        var database = redis.GetDatabase();
        var id = await store.CreateAsync(owner: null, TestContext.Current.CancellationToken);
        var added = await store.ApplyAsync(id, await AddPointsLayerAsync(redis, id, 10, options), TestContext.Current.CancellationToken);
        var dataKey = RedisLayerDataStore.DataKey(id, added.State.Layers["points"].Data!.Sha256);
        Assert.Equal(redis.HashSlot(RedisSessionKeys.StateKey(id)), redis.HashSlot(dataKey));

        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        await store.ApplyAsync(id, new SetView(Zoom: 4), TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.True(await database.KeyExistsAsync(dataKey), "a change to the session extends its data's lifetime too");

        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.False(await database.KeyExistsAsync(RedisSessionKeys.StateKey(id)));
        Assert.False(await database.KeyExistsAsync(dataKey));
    }

    private static MapAnnotation Marker(string label) => new()
    {
        Kind = AnnotationKind.Marker,
        Geometry = JsonDocument.Parse("""{"type":"Point","coordinates":[0,0]}""").RootElement.Clone(),
        Label = label,
    };

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task State_is_a_plain_json_string_at_map_state_key(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = CreateStore(redis);

        var id = await store.CreateAsync(owner: null, TestContext.Current.CancellationToken);
        await store.ApplyAsync(id, new SetView(Zoom: 9), TestContext.Current.CancellationToken);

        var json = (string?)await redis.GetDatabase().StringGetAsync($"map_state:{id}");
        Assert.StartsWith("{\"version\":1,", json);
        Assert.Equal(9, JsonDocument.Parse(json!).RootElement.GetProperty("zoom").GetDouble());
        var keys = redis.GetServer(server.ConnectionString).Keys(pattern: "map_state:*").Select(k => k.ToString()).ToList();
        Assert.Equal([$"map_state:{id}"], keys);
        Assert.True(await redis.GetDatabase().KeyTimeToLiveAsync($"map_state:{id}") > TimeSpan.FromDays(6));
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Session_keys_share_one_cluster_hash_slot(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var id = MapSessionId.New();
        Assert.Equal(redis.HashSlot(RedisSessionKeys.StateKey(id)), redis.HashSlot(RedisSessionKeys.EventsKey(id)));
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Sixteen_concurrent_writers_lose_no_change_and_versions_are_gapless(string backend)
    {
        const int writers = 16, changesEach = 500;
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var replicaA = CreateStore(redis);
        var replicaB = CreateStore(redis); // two caches, as on two api replicas
        var id = await replicaA.CreateAsync(owner: null, TestContext.Current.CancellationToken);

        var published = new ConcurrentQueue<PublishedMapEvent>();
        await using var subscription = await CreateFeed(redis).SubscribeAsync(id, published.Enqueue, TestContext.Current.CancellationToken);

        var versions = new ConcurrentBag<long>();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var store = w % 2 == 0 ? replicaA : replicaB;
            for (var i = 1; i <= changesEach; i++)
            {
                var change = await store.ApplyAsync(id, new PutAnnotation($"writer-{w}", Marker(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
                versions.Add(change.State.Version);
            }
        })));

        Assert.Equal(Enumerable.Range(1, writers * changesEach).Select(v => (long)v), versions.Order());
        var final = await replicaB.GetAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(writers * changesEach, final!.Version);
        Assert.All(Enumerable.Range(0, writers), w => Assert.Equal("500", final.Annotations[$"writer-{w}"].Label));

        await Poll.UntilAsync(() => published.Count == writers * changesEach, TimeSpan.FromSeconds(20), "not every change was published within 20 s");
        Assert.Equal(Enumerable.Range(1, writers * changesEach).Select(v => (long)v), published.Select(e => e.Version));
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Rejected_change_in_a_concurrent_burst_fails_alone(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = CreateStore(redis);
        var id = await store.CreateAsync(owner: null, TestContext.Current.CancellationToken);

        // Concurrent callers on one replica are committed together; every fifth one is invalid.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                var change = await store.ApplyAsync(id, new SetView(Zoom: i % 5 == 0 ? 99 : i % 24));
                return change.State.Version;
            }
            catch (MapOperationException)
            {
                return -1L;
            }
        }));

        Assert.Equal(40, outcomes.Count(v => v == -1));
        Assert.Equal(Enumerable.Range(1, 160).Select(v => (long)v), outcomes.Where(v => v > 0).Order());
        Assert.Equal(160, (await store.GetAsync(id, TestContext.Current.CancellationToken))!.Version);
        Assert.Equal(160, (await CreateFeed(redis).EventsSinceAsync(id, 0, TestContext.Current.CancellationToken))!.Count);
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task A_change_takes_one_redis_round_trip_in_the_steady_state(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = CreateStore(redis);
        var id = await store.CreateAsync(owner: null, TestContext.Current.CancellationToken);
        await store.ApplyAsync(id, new SetView(Zoom: 1), TestContext.Current.CancellationToken); // loads the script

        var profiling = new ProfilingSession();
        redis.RegisterProfiler(() => profiling);
        for (var i = 0; i < 20; i++)
        {
            await store.ApplyAsync(id, new SetView(Zoom: 2 + i / 10.0), TestContext.Current.CancellationToken);
        }

        var commands = profiling.FinishProfiling().Select(c => c.Command).ToList();
        Assert.Equal(20, commands.Count);
        Assert.All(commands, command => Assert.Contains(command, (string[])["EVAL", "EVALSHA"]));
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Rejected_change_leaves_state_and_version_untouched(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = CreateStore(redis);
        var id = await store.CreateAsync(owner: null, TestContext.Current.CancellationToken);
        await store.ApplyAsync(id, new SetView(Zoom: 3), TestContext.Current.CancellationToken);
        var before = (string?)await redis.GetDatabase().StringGetAsync($"map_state:{id}");

        await Assert.ThrowsAsync<MapOperationException>(() => store.ApplyAsync(id, new SetView(Zoom: 30), TestContext.Current.CancellationToken));

        Assert.Equal(before, (string?)await redis.GetDatabase().StringGetAsync($"map_state:{id}"));
        Assert.Single(await CreateFeed(redis).EventsSinceAsync(id, 0, TestContext.Current.CancellationToken) ?? []);
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Replay_buffer_answers_recent_gaps_and_refuses_ones_it_no_longer_covers(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = CreateStore(redis, new MapServerOptions { ReplayBufferLength = 5 });
        var id = await store.CreateAsync(owner: null, TestContext.Current.CancellationToken);
        for (var i = 0; i < 8; i++)
        {
            await store.ApplyAsync(id, new SetView(Zoom: i), TestContext.Current.CancellationToken);
        }

        Assert.Equal([6L, 7, 8], (await CreateFeed(redis).EventsSinceAsync(id, 5, TestContext.Current.CancellationToken))!.Select(e => e.Version));
        Assert.Empty((await CreateFeed(redis).EventsSinceAsync(id, 8, TestContext.Current.CancellationToken))!);
        Assert.Null(await CreateFeed(redis).EventsSinceAsync(id, 1, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Unknown_session_is_reported_not_created(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = CreateStore(redis);
        var id = MapSessionId.New();
        await Assert.ThrowsAsync<MapSessionNotFoundException>(() => store.ApplyAsync(id, new SetView(Zoom: 3), TestContext.Current.CancellationToken));
        Assert.False(await redis.GetDatabase().KeyExistsAsync($"map_state:{id}"));
    }
}
