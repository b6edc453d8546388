using System.Collections.Concurrent;
using System.Text.Json;
using MapServer.Api.Data;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MapServer.Api.Sessions;

/// <summary>
/// Map sessions in Redis. The state is a JSON string at <c>map_state:&lt;id&gt;</c>; changes are written
/// by one Lua script (one round trip): check the version, write the state, refresh the TTL, append the
/// events to the replay buffer, PUBLISH them. A version mismatch answers with the current state, so the
/// retry needs no extra read. Changes to one session that queue up on this replica while a write is in
/// flight are committed together (group commit): one round trip, one event and one version each.
/// </summary>
public sealed class RedisMapSessionStore : IMapSessionStore
{
    // KEYS[1] state, KEYS[2] replay buffer, KEYS[3..] the owner and the layer data the new state uses (their TTL follows the session's);
    // ARGV: expected version, state, ttl ms, buffer length, channel, events...
    // Returns {0} when the session is missing, {1, current} on a version mismatch, {2} when applied.
    private const string ApplyScript = """
        local current = redis.call('GET', KEYS[1])
        if not current then return {0} end
        local version = tonumber(string.match(current, '^{"version":(%d+)'))
        if version ~= tonumber(ARGV[1]) then return {1, current} end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        for i = 6, #ARGV do
            redis.call('RPUSH', KEYS[2], ARGV[i])
            redis.call('PUBLISH', ARGV[5], ARGV[i])
        end
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        for i = 3, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
        return {2}
        """;

    /// <summary>Most changes committed in one script call.</summary>
    private const int MaxBatch = 64;

    private readonly IConnectionMultiplexer _redis;
    private readonly MapChanges _changes;
    private readonly IMemoryCache _lastSeen;
    private readonly MapMetrics _metrics;
    private readonly ILogger<RedisMapSessionStore> _logger;
    private readonly MapServerOptions _options;

    /// <summary>Open subscriptions, to catch up after a reconnect (a set: the value is unused).</summary>
    private readonly ConcurrentDictionary<EventSubscription, byte> _subscriptions = new();

    // Writers of one session take turns on this replica (striped, so memory stays bounded): optimistic
    // retries then only happen between replicas, and whoever holds the turn commits what queued up.
    private readonly WriteStripe[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new WriteStripe())];

    public RedisMapSessionStore(
        IConnectionMultiplexer redis, MapChanges changes, IMemoryCache lastSeen, MapMetrics metrics, IOptions<MapServerOptions> options, ILogger<RedisMapSessionStore> logger)
    {
        (_redis, _changes, _lastSeen, _metrics, _options, _logger) = (redis, changes, lastSeen, metrics, options.Value, logger);
        redis.ConnectionFailed += (_, failed) => metrics.StorageFailed(failed.FailureType.ToString());
        redis.ConnectionRestored += OnConnectionRestored;
    }

    /// <summary>The session's state key: a plain string, so <c>redis-cli GET map_state:&lt;id&gt;</c> shows it.</summary>
    public static RedisKey StateKey(string sessionId) => $"map_state:{sessionId}";

    /// <summary>The replay buffer shares the state key's hash slot (hash tag) without matching <c>map_state:*</c>.</summary>
    public static RedisKey EventsKey(string sessionId) => $"{{map_state:{sessionId}}}:events";

    public static RedisChannel EventsChannel(string sessionId) => RedisChannel.Literal($"map_events:{sessionId}");

    /// <summary>Who created the session (auth on): same hash slot and TTL as the state.</summary>
    public static RedisKey OwnerKey(string sessionId) => $"{{map_state:{sessionId}}}:owner";

    /// <summary>An owner's sessions scored by when they expire unless changed: counts live sessions per principal.</summary>
    public static RedisKey OwnedSessionsKey(string owner) => $"map_owner:{owner}";

    public async Task<string> CreateAsync(string? owner, CancellationToken cancellationToken = default)
    {
        var id = MapSessionId.New();
        var database = _redis.GetDatabase();
        if (owner is null)
        {
            await database.StringSetAsync(StateKey(id), MapChanges.Serialize(MapState.Initial), _options.SessionTtl, When.NotExists);
        }
        else
        {
            // One round trip: the owner's index (its own slot, so not in the transaction) and the session with its owner.
            var expires = DateTimeOffset.UtcNow.Add(_options.SessionTtl).ToUnixTimeMilliseconds();
            var indexed = database.SortedSetAddAsync(OwnedSessionsKey(owner), id, expires);
            var indexExpires = database.KeyExpireAsync(OwnedSessionsKey(owner), _options.SessionTtl);
            var create = database.CreateTransaction();
            _ = create.StringSetAsync(StateKey(id), MapChanges.Serialize(MapState.Initial), _options.SessionTtl, When.NotExists);
            _ = create.StringSetAsync(OwnerKey(id), owner, _options.SessionTtl);
            await Task.WhenAll(indexed, indexExpires, create.ExecuteAsync());
        }

        Remember(id, MapState.Initial);
        return id;
    }

    public async Task<string?> OwnerAsync(string sessionId, CancellationToken cancellationToken = default) =>
        await _redis.GetDatabase().StringGetAsync(OwnerKey(sessionId)) is { IsNull: false } owner ? owner.ToString() : null;

    public async Task<long> CountOwnedAsync(string owner, CancellationToken cancellationToken = default)
    {
        // Pipelined (one round trip): Redis runs them in order, so the count follows the trim.
        var database = _redis.GetDatabase();
        var trimmed = database.SortedSetRemoveRangeByScoreAsync(OwnedSessionsKey(owner), double.NegativeInfinity, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var count = database.SortedSetLengthAsync(OwnedSessionsKey(owner));
        await trimmed;
        return await count;
    }

    public async Task<MapState?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var json = await _redis.GetDatabase().StringGetAsync(StateKey(sessionId));
        return json.IsNull ? null : MapChanges.Deserialize(json.ToString());
    }

    public async Task<MapChange> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken = default)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(sessionId) % (uint)_stripes.Length];
        var pending = new PendingChange(sessionId, operation);
        stripe.Queue.Enqueue(pending);
        if (!await stripe.Turn.WaitAsync(_options.StorageTimeout, cancellationToken))
        {
            // Writers ahead are stuck on Redis: give up unless one of them has already taken this change.
            if (pending.TryAbandon())
            {
                throw new RedisTimeoutException("Redis is not answering: the writes ahead of this change are still waiting; it was not sent.", CommandStatus.WaitingToBeSent);
            }

            return await pending.Done.Task;
        }

        try
        {
            while (!pending.Done.Task.IsCompleted && Drain(stripe) is { Count: > 0 } batch)
            {
                foreach (var session in batch.GroupBy(p => p.SessionId))
                {
                    await CommitAsync(session.Key, [.. session]);
                }
            }
        }
        finally
        {
            stripe.Turn.Release();
        }

        return await pending.Done.Task;
    }

    private static List<PendingChange> Drain(WriteStripe stripe)
    {
        var batch = new List<PendingChange>();
        while (batch.Count < MaxBatch && stripe.Queue.TryDequeue(out var next))
        {
            if (next.TryTake())
            {
                batch.Add(next);
            }
        }

        return batch;
    }

    /// <summary>
    /// Applies a batch of one session's changes in order; each caller learns its own outcome. Not
    /// cancellable: the batch carries other callers' changes too.
    /// </summary>
    private async Task CommitAsync(string sessionId, List<PendingChange> batch)
    {
        try
        {
            var cached = _lastSeen.Get<MapState>(sessionId);
            var state = cached ?? await GetAsync(sessionId) ?? throw new MapSessionNotFoundException(sessionId);
            var current = cached is null; // known to be the latest: read now, or returned by the script
            var database = _redis.GetDatabase();
            var firstAttempt = System.Diagnostics.Stopwatch.GetTimestamp();
            for (var conflicts = 0; ; conflicts++)
            {
                var (next, outcomes) = Prepare(state, batch);
                if (!current && outcomes.Exists(o => o.Error is not null))
                {
                    // A refusal must be judged on the latest state, not this replica's possibly stale copy.
                    state = await GetAsync(sessionId) ?? throw new MapSessionNotFoundException(sessionId);
                    current = true;
                    continue;
                }

                var applied = outcomes.Where(o => o.Prepared is not null).Select(o => o.Prepared!).ToList();
                if (applied.Count == 0)
                {
                    Complete(outcomes);
                    return;
                }

                RedisKey[] keys =
                [
                    StateKey(sessionId),
                    EventsKey(sessionId),
                    OwnerKey(sessionId),
                    .. next.Layers.Values.Where(l => l.Data is not null).Select(l => RedisLayerDataStore.DataKey(sessionId, l.Data!.Sha256)),
                ];
                RedisValue[] arguments =
                [
                    state.Version,
                    applied[^1].StateJson,
                    (long)_options.SessionTtl.TotalMilliseconds,
                    _options.ReplayBufferLength,
                    EventsChannel(sessionId).ToString(),
                    .. applied.Select(p => (RedisValue)p.Event.Json),
                ];
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var result = (RedisResult[])(await database.ScriptEvaluateAsync(ApplyScript, keys, arguments))!;
                _metrics.StorageCommitted((int)result[0] == 2 ? "applied" : "retried", System.Diagnostics.Stopwatch.GetElapsedTime(started));
                switch ((int)result[0])
                {
                    case 2:
                        Remember(sessionId, next);
                        Complete(outcomes);
                        return;
                    case 1:
                        _metrics.VersionConflict();
                        if (System.Diagnostics.Stopwatch.GetElapsedTime(firstAttempt) > _options.StorageTimeout)
                        {
                            // Bounded: a replica far from Redis can lose every race to closer ones on a busy map.
                            throw new MapOperationException(
                                $"map '{sessionId}' changed {conflicts + 1} times while this change was being applied (other agents are writing to it quickly), so it was not applied. Send it again.");
                        }

                        state = MapChanges.Deserialize(result[1].ToString()); // another replica won: re-apply to its state
                        current = true;
                        break;
                    default:
                        _lastSeen.Remove(sessionId);
                        throw new MapSessionNotFoundException(sessionId);
                }
            }
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>Runs the batch through the reducer in order; a rejected change is skipped and reported to its caller alone.</summary>
    private (MapState Next, List<(PendingChange Pending, PreparedChange? Prepared, MapOperationException? Error)> Outcomes) Prepare(
        MapState state, List<PendingChange> batch)
    {
        var outcomes = new List<(PendingChange, PreparedChange?, MapOperationException?)>(batch.Count);
        foreach (var pending in batch)
        {
            try
            {
                var prepared = _changes.Prepare(state, pending.Operation);
                state = prepared.Change.State;
                outcomes.Add((pending, prepared, null));
            }
            catch (MapOperationException ex)
            {
                outcomes.Add((pending, null, ex));
            }
        }

        return (state, outcomes);
    }

    private static void Complete(List<(PendingChange Pending, PreparedChange? Prepared, MapOperationException? Error)> outcomes)
    {
        foreach (var (pending, prepared, error) in outcomes)
        {
            if (prepared is not null)
            {
                pending.Done.TrySetResult(prepared.Change);
            }
            else
            {
                pending.Done.TrySetException(error!);
            }
        }
    }

    public async Task<IReadOnlyList<PublishedMapEvent>?> EventsSinceAsync(string sessionId, long afterVersion, CancellationToken cancellationToken = default)
    {
        var buffered = await _redis.GetDatabase().ListRangeAsync(EventsKey(sessionId));
        var events = buffered.Select(e => ToPublished(e.ToString())).ToList();
        return ReplayBuffer.Since(events, afterVersion);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string sessionId, Action<PublishedMapEvent> onEvent, CancellationToken cancellationToken = default)
    {
        var subscription = new EventSubscription(this, sessionId, onEvent);
        var queue = await _redis.GetSubscriber().SubscribeAsync(EventsChannel(sessionId));
        queue.OnMessage(message => subscription.Deliver(ToPublished(message.Message.ToString()))); // ChannelMessageQueue keeps publish order
        subscription.Queue = queue;
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    /// <summary>
    /// Pub/sub drops what is published while a replica's link to Redis is down: once it is back, every open
    /// subscription reads what it missed from the replay buffer. Twice, because the client re-subscribes
    /// around the restored event, not strictly before it; viewers ignore versions they already have.
    /// </summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs restored)
    {
        _metrics.StorageReconnected(restored.ConnectionType.ToString().ToLowerInvariant());
        if (restored.ConnectionType != ConnectionType.Subscription)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await CatchUpAllAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await CatchUpAllAsync();
        });
    }

    private async Task CatchUpAllAsync()
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            try
            {
                await subscription.CatchUpAsync();
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                _logger.LogWarning("Could not catch up session {SessionId} after a reconnect: {Reason}", subscription.SessionId, ex.Message);
            }
        }
    }

    /// <summary>The last state this replica wrote or read: the next change usually starts from it.</summary>
    private void Remember(string sessionId, MapState state) =>
        _lastSeen.Set(sessionId, state, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5), Size = 1 });

    private static PublishedMapEvent ToPublished(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new PublishedMapEvent(document.RootElement.GetProperty("version").GetInt64(), json);
    }

    private sealed class WriteStripe
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public ConcurrentQueue<PendingChange> Queue { get; } = new();
    }

    private sealed class PendingChange(string sessionId, MapOperation operation)
    {
        public string SessionId { get; } = sessionId;

        public MapOperation Operation { get; } = operation;

        private int _claim; // 0 queued, 1 taken by a committer, 2 abandoned by its caller

        public TaskCompletionSource<MapChange> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryTake() => Interlocked.CompareExchange(ref _claim, 1, 0) == 0;

        public bool TryAbandon() => Interlocked.CompareExchange(ref _claim, 2, 0) == 0;
    }

    /// <summary>One session's events as this replica receives them, with the last version delivered so a reconnect can fill the gap.</summary>
    private sealed class EventSubscription(RedisMapSessionStore store, string sessionId, Action<PublishedMapEvent> onEvent) : IAsyncDisposable
    {
        private long _delivered;

        public string SessionId { get; } = sessionId;

        public ChannelMessageQueue? Queue { get; set; }

        public void Deliver(PublishedMapEvent mapEvent)
        {
            var delivered = Volatile.Read(ref _delivered);
            while (mapEvent.Version > delivered && Interlocked.CompareExchange(ref _delivered, mapEvent.Version, delivered) is var seen && seen != delivered)
            {
                delivered = seen;
            }

            onEvent(mapEvent);
        }

        public async Task CatchUpAsync()
        {
            var buffered = await store._redis.GetDatabase().ListRangeAsync(EventsKey(SessionId));
            foreach (var missed in buffered.Select(e => ToPublished(e.ToString())).Where(e => e.Version > Volatile.Read(ref _delivered)))
            {
                Deliver(missed);
            }
        }

        public async ValueTask DisposeAsync()
        {
            store._subscriptions.TryRemove(this, out _);
            if (Queue is not null)
            {
                await Queue.UnsubscribeAsync();
            }
        }
    }
}

/// <summary>What a replay buffer can answer for a viewer that last saw <c>afterVersion</c>.</summary>
public static class ReplayBuffer
{
    /// <summary>The events after <paramref name="afterVersion"/>, or null when the buffer starts too late to fill the gap.</summary>
    public static IReadOnlyList<PublishedMapEvent>? Since(IReadOnlyList<PublishedMapEvent> buffered, long afterVersion)
    {
        var missed = buffered.Where(e => e.Version > afterVersion).ToList();
        if (missed.Count == 0)
        {
            return missed;
        }

        return missed[0].Version == afterVersion + 1 ? missed : null;
    }
}
