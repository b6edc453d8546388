using System.Collections.Concurrent;
using System.Text.Json;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MapServer.Api.Viewports;

/// <summary>The last viewport each session's viewers reported; shared by all replicas when Redis is there.</summary>
public interface IViewportStore
{
    Task SetAsync(string sessionId, StoredViewport viewport, CancellationToken cancellationToken = default);

    Task<StoredViewport?> GetAsync(string sessionId, CancellationToken cancellationToken = default);
}

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

/// <summary>For the api running alone: one process, one dictionary.</summary>
public sealed class InMemoryViewportStore : IViewportStore
{
    private readonly ConcurrentDictionary<string, StoredViewport> _viewports = new(StringComparer.Ordinal);

    public Task SetAsync(string sessionId, StoredViewport viewport, CancellationToken cancellationToken = default)
    {
        _viewports[sessionId] = viewport;
        return Task.CompletedTask;
    }

    public Task<StoredViewport?> GetAsync(string sessionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_viewports.TryGetValue(sessionId, out var viewport) ? viewport : null);
}
