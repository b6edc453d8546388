using MapServer.Api.Maps;
using MapServer.Api.Sessions;
using MapServer.Api.Telemetry;
using ModelContextProtocol;

namespace MapServer.Api.Mcp;

/// <summary>
/// What every tool does with a session: check the id, apply one operation or read the state, and turn
/// failures into tool errors an agent can act on (isError results, never protocol errors).
/// </summary>
public sealed class MapSessionGateway(IMapSessionStore store, MapMetrics metrics)
{
    public async Task<MapChangeResult> ApplyAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken)
    {
        CheckId(sessionId);
        try
        {
            var change = await store.ApplyAsync(sessionId, operation, cancellationToken);
            metrics.ChangeApplied(operation.Name);
            return new MapChangeResult(sessionId, change.State.Version, change.Event.Summary);
        }
        catch (MapSessionNotFoundException ex)
        {
            throw new McpException(ex.Message);
        }
        catch (MapOperationException ex)
        {
            metrics.ChangeRejected(operation.Name);
            throw new McpException($"{ex.Message} Nothing was changed.");
        }
    }

    public async Task<MapState> GetAsync(string sessionId, CancellationToken cancellationToken)
    {
        CheckId(sessionId);
        return await store.GetAsync(sessionId, cancellationToken) ?? throw new McpException(new MapSessionNotFoundException(sessionId).Message);
    }

    /// <summary>The buffered recent changes, oldest first.</summary>
    public async Task<IReadOnlyList<MapHistoryEntry>> HistoryAsync(string sessionId, CancellationToken cancellationToken)
    {
        await GetAsync(sessionId, cancellationToken);
        var events = await store.EventsSinceAsync(sessionId, 0, cancellationToken) ?? [];
        return [.. events
            .Select(e => System.Text.Json.JsonSerializer.Deserialize(e.Json, MapJsonContext.Default.MapEvent)!)
            .Select(e => new MapHistoryEntry(e.Version, e.Op, e.Summary, e.At))];
    }

    private static void CheckId(string? sessionId)
    {
        if (!MapSessionId.IsWellFormed(sessionId))
        {
            throw new McpException(
                $"session_id '{sessionId}' is not a map session id (22 characters of letters, digits, '-' and '_'). Call create_map_session to get one, or ask the user for the id shown in their viewer.");
        }
    }
}

/// <summary>What a changing tool returns: small, whatever the size of the map.</summary>
public sealed record MapChangeResult(string SessionId, long Version, string Summary);
