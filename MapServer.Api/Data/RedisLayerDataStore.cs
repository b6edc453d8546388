using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MapServer.Api.Data;

/// <summary>
/// Layer data at <c>{map_state:&lt;id&gt;}:data:&lt;sha256&gt;</c>: the state key's hash slot, the session's TTL.
/// Every change to the session refreshes the TTL of the data its layers use (<see cref="RedisMapSessionStore"/>),
/// so data no layer uses any more expires on its own.
/// </summary>
public sealed class RedisLayerDataStore(IConnectionMultiplexer redis, IOptions<MapServerOptions> options) : ILayerDataStore
{
    // KEYS[1] state, KEYS[2] data; ARGV[1] gzip bytes, ARGV[2] ttl ms. Returns 0 when the session is missing.
    private const string PutScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        if redis.call('PEXPIRE', KEYS[2], ARGV[2]) == 0 then
            redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
        end
        return 1
        """;

    public static RedisKey DataKey(string sessionId, string sha256) => $"{{map_state:{sessionId}}}:data:{sha256}";

    public async Task<bool> PutAsync(string sessionId, string sha256, byte[] gzip, CancellationToken cancellationToken = default)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(
            PutScript,
            [RedisSessionKeys.StateKey(sessionId), DataKey(sessionId, sha256)],
            [gzip, (long)options.Value.SessionTtl.TotalMilliseconds]);
        return (int)result == 1;
    }

    public Task DeleteAsync(string sessionId, string sha256, CancellationToken cancellationToken = default) =>
        redis.GetDatabase().KeyDeleteAsync(DataKey(sessionId, sha256));

    public async Task<byte[]?> GetAsync(string sessionId, string sha256, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().StringGetAsync(DataKey(sessionId, sha256));
}
