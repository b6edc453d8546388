using MapServer.Api.Data;
using MapServer.Api.Events;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Security;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Sessions;

/// <summary>
/// The one front door to a session, for MCP tools and HTTP endpoints alike: check the id and the caller's access, apply
/// one operation (within the session's change rate, its data stored, its URLs checked, planned again after a lost race)
/// or read the state and its recent changes. Failures are the map's own exceptions, which each transport answers from
/// <see cref="MapProblem"/>.
/// </summary>
public sealed class MapSessionGateway(
    IMapSessionStore store, IMapEventFeed events, SessionAccess access, MapRateLimiters limiters, SourceUrlRules urls, LayerDataStorage data, MapMetrics metrics, IOptions<MapServerOptions> options)
{
    /// <summary>How many recent changes the replay buffer keeps, so how far history, undo and redo reach back.</summary>
    public int HistoryDepth => options.Value.ReplayBufferLength;

    /// <summary>How often a change planned from the history (undo, redo) is planned again after losing a race.</summary>
    private const int MaxReplans = 8;

    public Task<MapChangeResult> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken) =>
        ApplyAsync(sessionId, _ => Task.FromResult(operation), replanOnConflict: false, cancellationToken);

    /// <summary>
    /// Applies the operation <paramref name="plan"/> makes from the map as it is now. With <paramref name="replanOnConflict"/>,
    /// a plan that pins the version it was made at (<see cref="MapOperation.IfVersion"/>) is made again when another change
    /// lands first: two concurrent undos revert two changes, never the same one twice.
    /// </summary>
    public async Task<MapChangeResult> ApplyAsync(string sessionId, Func<CancellationToken, Task<MapOperation>> plan, bool replanOnConflict, CancellationToken cancellationToken)
    {
        CheckId(sessionId);
        await access.CheckAsync(sessionId, cancellationToken);
        return await ChangeAsync(sessionId, plan, replanOnConflict, cancellationToken);
    }

    /// <summary>
    /// The change itself, for a caller that has checked the caller may drive the session (a tool, or an import through
    /// an import link): within the session's change rate, its data stored beside the state, its URLs checked, applied
    /// atomically. Failures are the map's own exceptions, for the caller to answer in its protocol.
    /// </summary>
    public async Task<MapChangeResult> ChangeAsync(string sessionId, Func<CancellationToken, Task<MapOperation>> plan, bool replanOnConflict, CancellationToken cancellationToken)
    {
        var name = "change";
        try
        {
            using var turn = await limiters.Changes.AcquireAsync(sessionId, cancellationToken: cancellationToken);
            if (!turn.IsAcquired)
            {
                metrics.RateLimited("changes");
                var limits = limiters.Limits;
                throw new MapLimitException(
                    $"Too many changes to map '{sessionId}': at most {limits.ChangesPerSecondPerSession} a second (bursts of {limits.ChangeBurst}). Wait {RateLimitServices.RetryAfterSeconds(turn)} s and send this change again; nothing was changed.",
                    RateLimitServices.RetryAfterSeconds(turn));
            }

            for (var attempt = 1; ; attempt++)
            {
                var operation = await plan(cancellationToken);
                name = operation.Name;
                var offloaded = await data.OffloadAsync(sessionId, operation, cancellationToken);
                urls.Check(offloaded); // after offloading: this server's own data is then a path of its own
                try
                {
                    var change = await store.ApplyAsync(sessionId, offloaded, cancellationToken);
                    metrics.ChangeApplied(operation.Name);
                    return new MapChangeResult(sessionId, change.State.Version, change.Event.Summary);
                }
                catch (MapVersionConflictException) when (replanOnConflict && attempt < MaxReplans)
                {
                    metrics.VersionConflict();
                }
            }
        }
        catch (Exception ex) when (ex is MapOperationException or MapLimitException)
        {
            metrics.ChangeRejected(name);
            throw;
        }
    }

    public async Task<MapState> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        CheckId(sessionId);
        await access.CheckAsync(sessionId, cancellationToken);
        return await store.GetAsync(sessionId, cancellationToken) ?? throw new MapSessionNotFoundException(sessionId);
    }

    /// <summary>
    /// Every change event still in the replay buffer, oldest first, whether the buffer still starts at the session's
    /// first change, and the version they bring the map to. Once the buffer has been trimmed, asking from version 0
    /// answers null, so this asks from the oldest version the buffer can hold (retrying when a change lands in between).
    /// </summary>
    public async Task<BufferedChanges> BufferedChangesAsync(string sessionId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var state = await GetAsync(sessionId, cancellationToken);
            var after = Math.Max(0, state.Version - HistoryDepth);
            var published = await events.EventsSinceAsync(sessionId, after, cancellationToken);
            if (published is not null || attempt >= 5)
            {
                var changes = (published ?? [])
                    .Select(e => System.Text.Json.JsonSerializer.Deserialize(e.Json, MapJsonContext.Default.MapEvent)!)
                    .ToList();
                return new BufferedChanges(changes, after == 0 && published is not null, Math.Max(state.Version, changes.Count > 0 ? changes[^1].Version : 0));
            }
        }
    }

    private static void CheckId(string? sessionId)
    {
        if (ViewLinks.IsToken(sessionId))
        {
            throw new MapSessionIdException(
                $"'{sessionId}' is a read-only view link's token, not a session id: it shows the map but cannot change it. Use the session_id create_map_session returned, or create_map_session for a map of your own.");
        }

        if (!MapSessionId.IsWellFormed(sessionId))
        {
            throw new MapSessionIdException(
                $"session_id '{sessionId}' is not a map session id (22 characters of letters, digits, '-' and '_'). Call create_map_session to get one, or ask the user for the id shown in their viewer.");
        }
    }
}
