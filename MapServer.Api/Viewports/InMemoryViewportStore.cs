using System.Collections.Concurrent;

namespace MapServer.Api.Viewports;

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
