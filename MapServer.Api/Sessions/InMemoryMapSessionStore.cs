using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Sessions;

/// <summary>
/// The same contract as <see cref="RedisMapSessionStore"/> in one process: for unit tests and for
/// running the api alone without Redis. Sessions do not survive a restart and are not shared.
/// </summary>
public sealed class InMemoryMapSessionStore(MapChanges changes, IOptions<MapServerOptions> options) : IMapSessionStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Session> _sessions = [];

    public Task<string> CreateAsync(string? owner, CancellationToken cancellationToken = default)
    {
        var id = MapSessionId.New();
        lock (_gate)
        {
            _sessions[id] = new Session { State = MapState.Initial, Owner = owner };
        }

        return Task.FromResult(id);
    }

    public Task<string?> OwnerAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_sessions.GetValueOrDefault(sessionId)?.Owner);
        }
    }

    public Task<long> CountOwnedAsync(string owner, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult((long)_sessions.Values.Count(session => session.Owner == owner));
        }
    }

    public Task<MapState?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_sessions.GetValueOrDefault(sessionId)?.State);
        }
    }

    public Task<MapChange> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken = default)
    {
        PreparedChange prepared;
        Action<PublishedMapEvent>[] subscribers;
        lock (_gate)
        {
            var session = _sessions.GetValueOrDefault(sessionId) ?? throw new MapSessionNotFoundException(sessionId);
            prepared = changes.Prepare(session.State, operation);
            session.State = prepared.Change.State;
            session.Events.Add(prepared.Event);
            if (session.Events.Count > options.Value.ReplayBufferLength)
            {
                session.Events.RemoveAt(0);
            }

            subscribers = [.. session.Subscribers];
            foreach (var subscriber in subscribers)
            {
                subscriber(prepared.Event); // inside the lock, so every subscriber sees versions in order
            }
        }

        return Task.FromResult(prepared.Change);
    }

    public Task<IReadOnlyList<PublishedMapEvent>?> EventsSinceAsync(string sessionId, long afterVersion, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var events = _sessions.GetValueOrDefault(sessionId)?.Events ?? [];
            return Task.FromResult(ReplayBuffer.Since(events, afterVersion));
        }
    }

    public Task<IAsyncDisposable> SubscribeAsync(string sessionId, Action<PublishedMapEvent> onEvent, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var session = _sessions.GetValueOrDefault(sessionId) ?? throw new MapSessionNotFoundException(sessionId);
            session.Subscribers.Add(onEvent);
            return Task.FromResult<IAsyncDisposable>(new Unsubscriber(this, session, onEvent));
        }
    }

    private sealed class Session
    {
        public required MapState State { get; set; }
        public string? Owner { get; init; }
        public List<PublishedMapEvent> Events { get; } = [];
        public List<Action<PublishedMapEvent>> Subscribers { get; } = [];
    }

    private sealed class Unsubscriber(InMemoryMapSessionStore store, Session session, Action<PublishedMapEvent> onEvent) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            lock (store._gate)
            {
                session.Subscribers.Remove(onEvent);
            }

            return ValueTask.CompletedTask;
        }
    }
}
