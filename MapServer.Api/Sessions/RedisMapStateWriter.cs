using System.Collections.Concurrent;
using System.Diagnostics;
using MapServer.Api.Data;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;
using static MapServer.Api.Sessions.RedisSessionKeys;

namespace MapServer.Api.Sessions;

/// <summary>
/// Writes map states to Redis. A change is written by one Lua script (one round trip): check the version, write the
/// state, refresh the TTL, append the events to the replay buffer, publish them (<see cref="RedisChangeChannels"/>). A version mismatch answers with the
/// current state, so the retry needs no extra read. Changes to one session that queue up on this replica while a write
/// is in flight are committed together (group commit): one round trip, one event and one version each.
/// </summary>
internal sealed class RedisMapStateWriter(IConnectionMultiplexer redis, MapChanges changes, IMemoryCache lastSeen, MapMetrics metrics, MapServerOptions options)
{
    // KEYS[1] state, KEYS[2] replay buffer, KEYS[3..] the owner and the layer data the new state uses (their TTL follows the session's);
    // ARGV: expected version, state, ttl ms, buffer length, channel, events... (PUBLISH becomes SPUBLISH on a cluster)
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

    private static readonly string ShardedApplyScript = ApplyScript.Replace("'PUBLISH'", "'SPUBLISH'", StringComparison.Ordinal);

    private readonly RedisChangeChannels _channels = new(redis);

    /// <summary>Most changes committed in one script call.</summary>
    private const int MaxBatch = 64;

    // Writers of one session take turns on this replica (striped, so memory stays bounded): optimistic
    // retries then only happen between replicas, and whoever holds the turn commits what queued up.
    private readonly WriteStripe[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new WriteStripe())];

    /// <summary>The session's current state in Redis, or null when it does not exist (or expired).</summary>
    public async Task<MapState?> ReadAsync(string sessionId)
    {
        var json = await redis.GetDatabase().StringGetAsync(StateKey(sessionId));
        return json.IsNull ? null : MapChanges.Deserialize(json.ToString());
    }

    public async Task<MapChange> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(sessionId) % (uint)_stripes.Length];
        var pending = new PendingChange(sessionId, operation);
        stripe.Queue.Enqueue(pending);
        if (!await stripe.Turn.WaitAsync(options.StorageTimeout, cancellationToken))
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

    /// <summary>
    /// <c>WAIT</c>, sent right behind the commit script on the same connection to the session's master (one round trip
    /// with it): how many replicas have this connection's writes, waiting at most half the storage timeout for
    /// <see cref="MapServerOptions.MinReplicaAcks"/> of them.
    /// </summary>
    private async Task<long> WaitForReplicasAsync(string sessionId)
    {
        var master = redis.GetServer(StateKey(sessionId));
        return (long)await master.ExecuteAsync("WAIT", options.MinReplicaAcks, (long)(options.StorageTimeout.TotalMilliseconds / 2));
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
            var cached = lastSeen.Get<MapState>(sessionId);
            var state = cached ?? await ReadAsync(sessionId) ?? throw new MapSessionNotFoundException(sessionId);
            var current = cached is null; // known to be the latest: read now, or returned by the script
            var database = redis.GetDatabase();
            var firstAttempt = Stopwatch.GetTimestamp();
            for (var conflicts = 0; ; conflicts++)
            {
                var (next, outcomes) = Prepare(state, batch);
                if (!current && outcomes.Exists(o => o.Error is not null))
                {
                    // A refusal must be judged on the latest state, not this replica's possibly stale copy.
                    state = await ReadAsync(sessionId) ?? throw new MapSessionNotFoundException(sessionId);
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
                    (long)options.SessionTtl.TotalMilliseconds,
                    options.ReplayBufferLength,
                    _channels.For(sessionId).ToString(),
                    .. applied.Select(p => (RedisValue)p.Event.Json),
                ];
                var started = Stopwatch.GetTimestamp();
                var committing = database.ScriptEvaluateAsync(_channels.IsCluster ? ShardedApplyScript : ApplyScript, keys, arguments);
                var replicating = options.MinReplicaAcks > 0 ? WaitForReplicasAsync(sessionId) : null;
                var result = (RedisResult[])(await committing)!;
                metrics.StorageCommitted((int)result[0] == 2 ? "applied" : "retried", Stopwatch.GetElapsedTime(started));
                switch ((int)result[0])
                {
                    case 2:
                        if (replicating is not null && await replicating < options.MinReplicaAcks)
                        {
                            // Applied on the master, not yet on enough replicas: a failover now could lose it, so it is not acknowledged.
                            throw new RedisTimeoutException(
                                $"Redis applied the change but fewer than {options.MinReplicaAcks} replica(s) confirmed it in time.", CommandStatus.Sent);
                        }

                        Remember(sessionId, next);
                        Complete(outcomes);
                        return;
                    case 1:
                        metrics.VersionConflict();
                        if (Stopwatch.GetElapsedTime(firstAttempt) > options.StorageTimeout)
                        {
                            // Bounded: a replica far from Redis can lose every race to closer ones on a busy map.
                            throw new MapOperationException(
                                $"map '{sessionId}' changed {conflicts + 1} times while this change was being applied (other agents are writing to it quickly), so it was not applied. Send it again.");
                        }

                        state = MapChanges.Deserialize(result[1].ToString()); // another replica won: re-apply to its state
                        current = true;
                        break;
                    default:
                        lastSeen.Remove(sessionId);
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
                var prepared = changes.Prepare(state, pending.Operation);
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

    /// <summary>The last state this replica wrote or read: the next change usually starts from it.</summary>
    public void Remember(string sessionId, MapState state) =>
        lastSeen.Set(sessionId, state, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5), Size = 1 });

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
}
