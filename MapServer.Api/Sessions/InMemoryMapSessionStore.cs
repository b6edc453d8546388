using MapServer.Api.Events;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;

namespace MapServer.Api.Sessions;

/// <summary>
/// The same contract as <see cref="RedisMapSessionStore"/> in one process, publishing to <see cref="InMemoryMapEventFeed"/>:
/// for tests and for running the api alone without Redis. Sessions do not survive a restart and are not shared.
/// </summary>
public sealed class InMemoryMapSessionStore(MapChanges changes, InMemoryMapEventFeed feed) : IMapSessionStore
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
        lock (_gate)
        {
            var session = _sessions.GetValueOrDefault(sessionId) ?? throw new MapSessionNotFoundException(sessionId);
            var prepared = changes.Prepare(session.State, operation);
            session.State = prepared.Change.State;
            feed.Publish(sessionId, prepared.Event); // inside the lock, so the feed has versions in order
            return Task.FromResult(prepared.Change);
        }
    }

    private sealed class Session
    {
        public required MapState State { get; set; }
        public string? Owner { get; init; }
    }
}
