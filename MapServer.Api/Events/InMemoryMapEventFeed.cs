namespace MapServer.Api.Events;

/// <summary>The event feed in one process, fed by <see cref="Sessions.InMemoryMapSessionStore"/> as it commits.</summary>
public sealed class InMemoryMapEventFeed(int replayBufferLength) : IMapEventFeed
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Feed> _feeds = [];

    /// <summary>Buffers the event and hands it to every subscriber of the session, in the order of the calls.</summary>
    public void Publish(string sessionId, PublishedMapEvent mapEvent)
    {
        lock (_gate)
        {
            var feed = FeedOf(sessionId);
            feed.Events.Add(mapEvent);
            if (feed.Events.Count > replayBufferLength)
            {
                feed.Events.RemoveAt(0);
            }

            foreach (var subscriber in feed.Subscribers.ToArray())
            {
                subscriber(mapEvent); // inside the lock, so every subscriber sees versions in order
            }
        }
    }

    public Task<IReadOnlyList<PublishedMapEvent>?> EventsSinceAsync(string sessionId, long afterVersion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(ReplayBuffer.Since(_feeds.GetValueOrDefault(sessionId)?.Events ?? [], afterVersion));
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(string sessionId, Action<PublishedMapEvent> onEvent, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            FeedOf(sessionId).Subscribers.Add(onEvent);
            return Task.FromResult<IAsyncDisposable>(new Unsubscriber(this, sessionId, onEvent));
        }
    }

    private Feed FeedOf(string sessionId)
    {
        if (!_feeds.TryGetValue(sessionId, out var feed))
        {
            _feeds[sessionId] = feed = new Feed();
        }

        return feed;
    }

    private sealed class Feed
    {
        public List<PublishedMapEvent> Events { get; } = [];

        public List<Action<PublishedMapEvent>> Subscribers { get; } = [];
    }

    private sealed class Unsubscriber(InMemoryMapEventFeed owner, string sessionId, Action<PublishedMapEvent> onEvent) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (owner._gate)
            {
                owner._feeds.GetValueOrDefault(sessionId)?.Subscribers.Remove(onEvent);
            }

            return ValueTask.CompletedTask;
        }
    }
}
