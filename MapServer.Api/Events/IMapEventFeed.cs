namespace MapServer.Api.Events;

/// <summary>
/// Every session's changes as they are committed, on every replica: live (a subscription) and recent (the replay
/// buffer, to fill a viewer's gap after a reconnect). Redis pub/sub in every deployment; in-memory for the api alone.
/// What the event hub and <c>/events</c> depend on.
/// </summary>
public interface IMapEventFeed
{
    /// <summary>Buffered events after <paramref name="afterVersion"/>, oldest first; null when the buffer no longer reaches back that far.</summary>
    Task<IReadOnlyList<PublishedMapEvent>?> EventsSinceAsync(string sessionId, long afterVersion, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="onEvent"/>, in version order, for every change applied to the session by any replica.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string sessionId, Action<PublishedMapEvent> onEvent, CancellationToken cancellationToken = default);
}
