using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;

namespace MapServer.Api.Sessions;

/// <summary>
/// Where map sessions live. Redis in every real deployment (shared by all replicas); an in-memory
/// store for unit tests and for running the api alone.
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

    /// <summary>Buffered events after <paramref name="afterVersion"/>, oldest first; null when the buffer no longer reaches back that far.</summary>
    Task<IReadOnlyList<PublishedMapEvent>?> EventsSinceAsync(string sessionId, long afterVersion, CancellationToken cancellationToken = default);

    /// <summary>Calls <paramref name="onEvent"/>, in version order, for every change applied to the session by any replica.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string sessionId, Action<PublishedMapEvent> onEvent, CancellationToken cancellationToken = default);
}

/// <summary>An event as published: its version and its JSON, serialized once for every viewer.</summary>
public sealed record PublishedMapEvent(long Version, string Json);

public sealed class MapSessionNotFoundException(string sessionId)
    : Exception($"Map session '{sessionId}' does not exist or has expired. Call create_map_session to start a new one.")
{
    public string SessionId { get; } = sessionId;
}
