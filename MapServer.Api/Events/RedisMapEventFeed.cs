using System.Collections.Concurrent;
using System.Text.Json;
using MapServer.Api.Sessions;
using MapServer.Api.Telemetry;
using StackExchange.Redis;

namespace MapServer.Api.Events;

/// <summary>
/// The event feed on Redis: the commit script appends each change to the session's replay buffer and publishes it on
/// the session's channel (<see cref="RedisChangeChannels"/>); this subscribes to the channel, reads the buffer, and after
/// a lost subscription link reads what pub/sub dropped from the buffer.
/// </summary>
public sealed class RedisMapEventFeed : IMapEventFeed
{
    private readonly IConnectionMultiplexer _redis;
    private readonly MapMetrics _metrics;
    private readonly ILogger<RedisMapEventFeed> _logger;
    private readonly RedisChangeChannels _channels;

    /// <summary>Open subscriptions, to catch up after a reconnect (a set: the value is unused).</summary>
    private readonly ConcurrentDictionary<EventSubscription, byte> _subscriptions = new();

    public RedisMapEventFeed(IConnectionMultiplexer redis, MapMetrics metrics, ILogger<RedisMapEventFeed> logger)
    {
        (_redis, _metrics, _logger, _channels) = (redis, metrics, logger, new RedisChangeChannels(redis));
        redis.ConnectionRestored += OnConnectionRestored;
    }

    public async Task<IReadOnlyList<PublishedMapEvent>?> EventsSinceAsync(string sessionId, long afterVersion, CancellationToken cancellationToken = default) =>
        ReplayBuffer.Since(await BufferedAsync(sessionId), afterVersion);

    public async Task<IAsyncDisposable> SubscribeAsync(string sessionId, Action<PublishedMapEvent> onEvent, CancellationToken cancellationToken = default)
    {
        var subscription = new EventSubscription(this, sessionId, onEvent);
        var queue = await _redis.GetSubscriber().SubscribeAsync(_channels.For(sessionId));
        queue.OnMessage(message => subscription.Deliver(ToPublished(message.Message.ToString()))); // ChannelMessageQueue keeps publish order
        subscription.Queue = queue;
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    private async Task<List<PublishedMapEvent>> BufferedAsync(string sessionId) =>
        [.. (await _redis.GetDatabase().ListRangeAsync(RedisSessionKeys.EventsKey(sessionId))).Select(e => ToPublished(e.ToString()))];

    /// <summary>
    /// Pub/sub drops what is published while a replica's link to Redis is down: once it is back, every open
    /// subscription reads what it missed from the replay buffer. Twice, because the client re-subscribes
    /// around the restored event, not strictly before it; viewers ignore versions they already have.
    /// </summary>
    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs restored)
    {
        _metrics.StorageReconnected(restored.ConnectionType.ToString().ToLowerInvariant());
        if (restored.ConnectionType != ConnectionType.Subscription)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await CatchUpAllAsync();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await CatchUpAllAsync();
        });
    }

    private async Task CatchUpAllAsync()
    {
        foreach (var subscription in _subscriptions.Keys)
        {
            try
            {
                await subscription.CatchUpAsync();
            }
            catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
            {
                _logger.LogWarning("Could not catch up session {SessionId} after a reconnect: {Reason}", subscription.SessionId, ex.Message);
            }
        }
    }

    private static PublishedMapEvent ToPublished(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new PublishedMapEvent(document.RootElement.GetProperty("version").GetInt64(), json);
    }

    /// <summary>One session's events as this replica receives them, with the last version delivered so a reconnect can fill the gap.</summary>
    private sealed class EventSubscription(RedisMapEventFeed feed, string sessionId, Action<PublishedMapEvent> onEvent) : IAsyncDisposable
    {
        private long _delivered;

        public string SessionId { get; } = sessionId;

        public ChannelMessageQueue? Queue { get; set; }

        public void Deliver(PublishedMapEvent mapEvent)
        {
            var delivered = Volatile.Read(ref _delivered);
            while (mapEvent.Version > delivered && Interlocked.CompareExchange(ref _delivered, mapEvent.Version, delivered) is var seen && seen != delivered)
            {
                delivered = seen;
            }

            onEvent(mapEvent);
        }

        public async Task CatchUpAsync()
        {
            foreach (var missed in (await feed.BufferedAsync(SessionId)).Where(e => e.Version > Volatile.Read(ref _delivered)))
            {
                Deliver(missed);
            }
        }

        public async ValueTask DisposeAsync()
        {
            feed._subscriptions.TryRemove(this, out _);
            if (Queue is not null)
            {
                await Queue.UnsubscribeAsync();
            }
        }
    }
}
