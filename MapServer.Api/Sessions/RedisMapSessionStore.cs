using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using static MapServer.Api.Sessions.RedisSessionKeys;

namespace MapServer.Api.Sessions;

/// <summary>
/// Map sessions in Redis: created with their owner, read, and changed through <see cref="RedisMapStateWriter"/> (the Lua
/// commit and group commit). The state is a JSON string at <c>map_state:&lt;id&gt;</c> (<see cref="RedisSessionKeys"/>);
/// the changes it publishes reach viewers through <see cref="Events.RedisMapEventFeed"/>.
/// </summary>
public sealed class RedisMapSessionStore : IMapSessionStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisMapStateWriter _writer;
    private readonly MapServerOptions _options;

    public RedisMapSessionStore(IConnectionMultiplexer redis, MapChanges changes, IMemoryCache lastSeen, MapMetrics metrics, IOptions<MapServerOptions> options)
    {
        (_redis, _options) = (redis, options.Value);
        _writer = new RedisMapStateWriter(redis, changes, lastSeen, metrics, options.Value);
        redis.ConnectionFailed += (_, failed) => metrics.StorageFailed(failed.FailureType.ToString());
    }

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

        _writer.Remember(id, MapState.Initial);
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

    public Task<MapState?> GetAsync(string sessionId, CancellationToken cancellationToken = default) => _writer.ReadAsync(sessionId);

    public Task<MapChange> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken = default) =>
        _writer.ApplyAsync(sessionId, operation, cancellationToken);
}
