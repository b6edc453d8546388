using System.Text.Json;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MapServer.Api.Viewports;

/// <summary>Viewports at <c>map_viewport:&lt;session-id&gt;</c>, expiring with the session's TTL.</summary>
public sealed class RedisViewportStore(IConnectionMultiplexer redis, IOptions<MapServerOptions> options) : IViewportStore
{
    public static RedisKey Key(string sessionId) => $"map_viewport:{sessionId}";

    public async Task SetAsync(string sessionId, StoredViewport viewport, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().StringSetAsync(Key(sessionId), JsonSerializer.Serialize(viewport, ViewportJsonContext.Default.StoredViewport), options.Value.SessionTtl);

    public async Task<StoredViewport?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        var json = await redis.GetDatabase().StringGetAsync(Key(sessionId));
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize(json.ToString(), ViewportJsonContext.Default.StoredViewport);
    }
}
