namespace MapServer.Api.Viewports;

/// <summary>The last viewport each session's viewers reported; shared by all replicas when Redis is there.</summary>
public interface IViewportStore
{
    Task SetAsync(string sessionId, StoredViewport viewport, CancellationToken cancellationToken = default);

    Task<StoredViewport?> GetAsync(string sessionId, CancellationToken cancellationToken = default);
}
