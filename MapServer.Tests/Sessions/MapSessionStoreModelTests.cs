using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using CsCheck;
using MapServer.Api.Events;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using MapServer.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MapServer.Tests.Sessions;

/// <summary>
/// The Redis store (the embedded Garnet and Debian's redis-server) against the in-memory one as the model: random
/// operation sequences give the same outcomes, states and events; and changes from parallel writers on two
/// replicas form one history that the reducer alone reproduces (linearizable, in real-time order).
/// </summary>
[Trait("Tier", "App")]
public sealed class MapSessionStoreModelTests
{
    /// <summary>Every event's time: the stores' clocks must agree for their events to compare equal.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Ids = ["a", "b", "c"];

    /// <summary>Operations over a few ids, so they collide: adds, replaces, removals of missing things, invalid values.</summary>
    private static readonly Gen<MapOperation> Operation = Gen.Frequency(
        (3, Gen.OneOf(Ids).Select(Gen.Double[-170, 170], (id, lon) => (MapOperation)new PutAnnotation(id, Marker(lon)))),
        (2, Gen.OneOf(Ids).Select(id => (MapOperation)new RemoveAnnotation(id))),
        (2, Gen.Int[0, 30].Select(zoom => (MapOperation)new SetView(Zoom: zoom))),
        (2, Gen.OneOf(Ids).Select(Gen.Bool, (id, replace) => (MapOperation)new AddLayer(id, Json($$"""{"type":"geojson","data":"https://example.com/{{id}}.geojson"}"""), Replace: replace))),
        (1, Gen.OneOf(Ids).Select(id => (MapOperation)new RemoveLayer(id))),
        (1, Gen.OneOf(Ids).Select(id => (MapOperation)new ToggleLayer(id, LayerVisibility.Toggle))),
        (1, Gen.OneOf("streets", "topo", "blank", "moon").Select(basemap => (MapOperation)new SetBasemap(basemap))),
        (1, Gen.Const((MapOperation)new ClearMap())));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Random_operation_sequences_give_the_same_outcomes_states_and_events_as_the_in_memory_model(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var store = RedisStore(redis);
        var events = RedisMapSessionStoreTests.CreateFeed(redis);
        var modelEvents = new InMemoryMapEventFeed(new MapServerOptions().ReplayBufferLength);
        var model = new InMemoryMapSessionStore(Changes(), modelEvents);

        await Operation.List[1, 40].SampleAsync(async operations =>
        {
            var actualId = await store.CreateAsync(owner: null, Token);
            var modelId = await model.CreateAsync(owner: null, Token);
            foreach (var operation in operations)
            {
                Assert.Equal(await OutcomeAsync(model, modelId, operation), await OutcomeAsync(store, actualId, operation));
            }

            Assert.Equal(MapChanges.Serialize((await model.GetAsync(modelId, Token))!), MapChanges.Serialize((await store.GetAsync(actualId, Token))!));
            Assert.Equal(
                (await modelEvents.EventsSinceAsync(modelId, 0, Token))!.Select(e => e.Json),
                (await events.EventsSinceAsync(actualId, 0, Token))!.Select(e => e.Json));
        }, iter: 60, threads: 1, print: operations => string.Join(", ", operations));
    }

    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Parallel_writers_on_two_replicas_make_one_history_the_reducer_alone_reproduces_in_real_time_order(string backend)
    {
        await using var server = await RedisServer.StartAsync(backend);
        await using var redisA = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        await using var redisB = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        IMapSessionStore[] replicas = [RedisStore(redisA), RedisStore(redisB)];

        await Gen.Select(Operation.Array[8, 8], Operation.Array[8, 8], Operation.Array[8, 8], Operation.Array[8, 8]).SampleAsync(async (w1, w2, w3, w4) =>
        {
            var session = await replicas[0].CreateAsync(owner: null, Token);
            var clock = Stopwatch.StartNew();
            var applied = new ConcurrentBag<(long Version, MapOperation Operation, TimeSpan Started, TimeSpan Ended)>();
            await Task.WhenAll(new[] { w1, w2, w3, w4 }.Select((operations, writer) => Task.Run(async () =>
            {
                foreach (var operation in operations)
                {
                    var started = clock.Elapsed;
                    try
                    {
                        var change = await replicas[writer % 2].ApplyAsync(session, operation, Token);
                        applied.Add((change.State.Version, operation, started, clock.Elapsed));
                    }
                    catch (MapOperationException)
                    {
                        // refused on the state it met: no version
                    }
                }
            }, Token)));

            var history = applied.OrderBy(a => a.Version).ToList();
            Assert.Equal(Enumerable.Range(1, history.Count).Select(v => (long)v), history.Select(h => h.Version)); // one version each, no gaps
            var state = MapState.Initial;
            foreach (var step in history)
            {
                state = MapReducer.Apply(state, step.Operation); // each acknowledged change, in version order, on its own
            }

            Assert.Equal(MapChanges.Serialize(state), MapChanges.Serialize((await replicas[1].GetAsync(session, Token))!));
            foreach (var earlier in history)
            {
                Assert.DoesNotContain(history, later => later.Version < earlier.Version && later.Started > earlier.Ended); // real-time order kept
            }
        }, iter: 15, threads: 1);
    }

    private static async Task<string> OutcomeAsync(IMapSessionStore store, string session, MapOperation operation)
    {
        try
        {
            return $"v{(await store.ApplyAsync(session, operation, Token)).State.Version}";
        }
        catch (MapOperationException ex)
        {
            return $"refused: {ex.Message}";
        }
    }

    private static RedisMapSessionStore RedisStore(IConnectionMultiplexer redis) => RedisMapSessionStoreTests.CreateStore(redis, changes: Changes());

    private static MapChanges Changes() => new(new FixedClock(Now));

    private static MapAnnotation Marker(double longitude) => new()
    {
        Kind = AnnotationKind.Marker,
        Geometry = Json($$"""{"type":"Point","coordinates":[{{longitude.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}},0]}"""),
    };

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
