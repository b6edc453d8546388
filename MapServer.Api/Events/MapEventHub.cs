using System.Threading.Channels;
using MapServer.Api.Sessions;
using MapServer.Api.Storage;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Events;

/// <summary>
/// Fans a session's events out to this replica's viewers. It subscribes to a session's events (Redis
/// pub/sub, so changes made on any replica arrive) only while the session has viewers here.
/// Each viewer has a bounded queue: a viewer that falls behind is dropped and reconnects, it never
/// slows the others or grows memory without bound.
/// </summary>
public sealed class MapEventHub(
    IMapEventFeed events, IOptions<MapServerOptions> options, MapMetrics metrics, IHostApplicationLifetime lifetime, ILogger<MapEventHub> logger) : IDisposable
{
    private readonly Dictionary<string, SessionFeed> _feeds = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Number of sessions this replica currently receives events for.</summary>
    public int SubscribedSessions
    {
        get
        {
            lock (_feeds)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>Starts receiving the session's events; once this returns, no later change is missed.</summary>
    public async Task<MapViewer> ConnectAsync(string sessionId, CancellationToken cancellationToken)
    {
        var viewer = new MapViewer(this, sessionId, Channel.CreateBounded<PublishedMapEvent>(new BoundedChannelOptions(options.Value.ViewerQueueLength)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        }));

        await _gate.WaitAsync(cancellationToken);
        try
        {
            SessionFeed? feed;
            lock (_feeds)
            {
                _feeds.TryGetValue(sessionId, out feed);
            }

            if (feed is null)
            {
                feed = new SessionFeed();
                feed.Subscription = await events.SubscribeAsync(sessionId, mapEvent => metrics.EventsDelivered(feed.Deliver(mapEvent)), cancellationToken);
                lock (_feeds)
                {
                    _feeds[sessionId] = feed;
                }
            }

            feed.Add(viewer);
            metrics.ViewerConnected();
        }
        finally
        {
            _gate.Release();
        }

        return viewer;
    }

    internal async Task DisconnectAsync(MapViewer viewer)
    {
        metrics.ViewerDisconnected();
        await _gate.WaitAsync();
        try
        {
            SessionFeed? feed;
            lock (_feeds)
            {
                if (!_feeds.TryGetValue(viewer.SessionId, out feed) || !feed.Remove(viewer) || feed.HasViewers)
                {
                    return;
                }

                _feeds.Remove(viewer.SessionId);
            }

            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return; // the connection to Redis closes with the process: no round trip may hold up shutdown
            }

            try
            {
                // Bounded: a stuck Redis must not hold up other viewers of this replica (nor a request's end).
                await feed.Subscription!.DisposeAsync().AsTask().WaitAsync(options.Value.StorageTimeout);
            }
            catch (Exception ex) when (ex is TimeoutException || MapStorageFailure.Is(ex))
            {
                logger.LogWarning("Could not unsubscribe from session {SessionId} in time: {Reason}", viewer.SessionId, ex.Message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    internal void Dropped(MapViewer viewer)
    {
        metrics.SlowViewerDropped();
        logger.LogInformation("Dropped a slow viewer of session {SessionId}: its queue of {Length} events was full; it will reconnect and catch up", viewer.SessionId, options.Value.ViewerQueueLength);
    }

    private sealed class SessionFeed
    {
        private readonly Lock _gate = new();
        private MapViewer[] _viewers = [];

        public IAsyncDisposable? Subscription { get; set; }

        public bool HasViewers => _viewers.Length > 0;

        public void Add(MapViewer viewer)
        {
            lock (_gate)
            {
                _viewers = [.. _viewers, viewer];
            }
        }

        public bool Remove(MapViewer viewer)
        {
            lock (_gate)
            {
                var before = _viewers.Length;
                _viewers = [.. _viewers.Where(v => v != viewer)];
                return _viewers.Length != before;
            }
        }

        /// <summary>Offers the event to every viewer; returns how many there were.</summary>
        public int Deliver(PublishedMapEvent mapEvent)
        {
            var viewers = _viewers;
            foreach (var viewer in viewers)
            {
                viewer.Offer(mapEvent);
            }

            return viewers.Length;
        }
    }
}
