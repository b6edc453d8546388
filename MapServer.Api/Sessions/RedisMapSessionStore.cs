using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MapServer.Api.Sessions;

/// <summary>
/// Map sessions in Redis. The state is a JSON string at <c>map_state:&lt;id&gt;</c>; every change is one
/// Lua script (one round trip): check the version, write the state, refresh the TTL, append the event
/// to the replay buffer, PUBLISH it. A version mismatch answers with the current state, so the retry
/// needs no extra read.
/// </summary>
public sealed class RedisMapSessionStore(
    IConnectionMultiplexer redis,
    MapChanges changes,
    IMemoryCache lastSeen,
    MapMetrics metrics,
    IOptions<MapServerOptions> options) : IMapSessionStore
{
    // KEYS[1] state, KEYS[2] replay buffer; ARGV: expected version, state, event, ttl ms, buffer length, channel.
    // Returns {0} when the session is missing, {1, current} on a version mismatch, {2} when applied.
    private const string ApplyScript = """
        local current = redis.call('GET', KEYS[1])
        if not current then return {0} end
        local version = tonumber(string.match(current, '^{"version":(%d+)'))
        if version ~= tonumber(ARGV[1]) then return {1, current} end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
        redis.call('RPUSH', KEYS[2], ARGV[3])
        redis.call('LTRIM', KEYS[2], -tonumber(ARGV[5]), -1)
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        redis.call('PUBLISH', ARGV[6], ARGV[3])
        return {2}
        """;

    private readonly MapServerOptions _options = options.Value;

    // One writer per session at a time on this replica (striped, so memory stays bounded): optimistic
    // retries then only happen between replicas instead of between every concurrent caller.
    private readonly SemaphoreSlim[] _writeStripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>The session's state key: a plain string, so <c>redis-cli GET map_state:&lt;id&gt;</c> shows it.</summary>
    public static RedisKey StateKey(string sessionId) => $"map_state:{sessionId}";

    /// <summary>The replay buffer shares the state key's hash slot (hash tag) without matching <c>map_state:*</c>.</summary>
    public static RedisKey EventsKey(string sessionId) => $"{{map_state:{sessionId}}}:events";

    public static RedisChannel EventsChannel(string sessionId) => RedisChannel.Literal($"map_events:{sessionId}");

    public async Task<string> CreateAsync(CancellationToken cancellationToken = default)
    {
        var id = MapSessionId.New();
        await redis.GetDatabase().StringSetAsync(StateKey(id), MapChanges.Serialize(MapState.Initial), _options.SessionTtl, When.NotExists);
        Remember(id, MapState.Initial);
        return id;
    }

    public async Task<MapState?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var json = await redis.GetDatabase().StringGetAsync(StateKey(sessionId));
        return json.IsNull ? null : MapChanges.Deserialize(json.ToString());
    }

    public async Task<MapChange> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken = default)
    {
        var stripe = _writeStripes[(uint)StringComparer.Ordinal.GetHashCode(sessionId) % (uint)_writeStripes.Length];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return await ApplyOnceAsync(sessionId, operation, cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<MapChange> ApplyOnceAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken)
    {
        var state = lastSeen.Get<MapState>(sessionId) ?? await GetAsync(sessionId, cancellationToken) ?? throw new MapSessionNotFoundException(sessionId);
        var database = redis.GetDatabase();
        RedisKey[] keys = [StateKey(sessionId), EventsKey(sessionId)];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prepared = changes.Prepare(state, operation);
            var result = (RedisResult[])(await database.ScriptEvaluateAsync(ApplyScript, keys,
            [
                state.Version,
                prepared.StateJson,
                prepared.Event.Json,
                (long)_options.SessionTtl.TotalMilliseconds,
                _options.ReplayBufferLength,
                EventsChannel(sessionId).ToString(),
            ]))!;
            switch ((int)result[0])
            {
                case 2:
                    Remember(sessionId, prepared.Change.State);
                    return prepared.Change;
                case 1:
                    metrics.VersionConflict();
                    state = MapChanges.Deserialize(result[1].ToString()); // another writer won: re-apply to its state
                    break;
                default:
                    lastSeen.Remove(sessionId);
                    throw new MapSessionNotFoundException(sessionId);
            }
        }
    }

    public async Task<IReadOnlyList<PublishedMapEvent>?> EventsSinceAsync(string sessionId, long afterVersion, CancellationToken cancellationToken = default)
    {
        var buffered = await redis.GetDatabase().ListRangeAsync(EventsKey(sessionId));
        var events = buffered.Select(e => ToPublished(e.ToString())).ToList();
        return ReplayBuffer.Since(events, afterVersion);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string sessionId, Action<PublishedMapEvent> onEvent, CancellationToken cancellationToken = default)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(EventsChannel(sessionId));
        queue.OnMessage(message => onEvent(ToPublished(message.Message.ToString()))); // ChannelMessageQueue keeps publish order
        return new Unsubscriber(queue);
    }

    private void Remember(string sessionId, MapState state) =>
        lastSeen.Set(sessionId, state, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5), Size = 1 });

    private static PublishedMapEvent ToPublished(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new PublishedMapEvent(document.RootElement.GetProperty("version").GetInt64(), json);
    }

    private sealed class Unsubscriber(ChannelMessageQueue queue) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await queue.UnsubscribeAsync();
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
