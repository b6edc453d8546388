using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;

namespace MapServer.Api.Sessions;

/// <summary>
/// Where map sessions live: created with their owner, read, and changed atomically. Redis in every real deployment
/// (shared by all replicas); in memory for running the api alone. Their changes reach viewers through
/// <see cref="Events.IMapEventFeed"/>.
/// </summary>
public interface IMapSessionStore
{
    /// <summary>Creates a session with the initial state, owned by <paramref name="owner"/> when authentication is on, and returns its id.</summary>
    Task<string> CreateAsync(string? owner, CancellationToken cancellationToken = default);

    /// <summary>The principal that created the session, or null (no owner, or no such session).</summary>
    Task<string?> OwnerAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>How many sessions <paramref name="owner"/> created that have not yet expired (counted from their creation).</summary>
    Task<long> CountOwnedAsync(string owner, CancellationToken cancellationToken = default);

    /// <summary>The session's current state, or null when it does not exist (or expired).</summary>
    Task<MapState?> GetAsync(string sessionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies <paramref name="operation"/> atomically: on a version race, re-applies it to the newer
    /// state, so no change is lost. Throws <see cref="MapSessionNotFoundException"/> or <see cref="MapOperationException"/>.
    /// </summary>
    Task<MapChange> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken = default);
}
