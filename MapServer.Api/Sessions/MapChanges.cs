using System.Text.Json;
using MapServer.Api.Events;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;

namespace MapServer.Api.Sessions;

/// <summary>
/// Turns (state, operation) into everything a store writes: the next state, its event, and their JSON.
/// <paramref name="limits"/> caps what one session may hold (none when not given).
/// </summary>
public sealed class MapChanges(TimeProvider clock, MapSizeLimits? limits = null)
{
    private readonly MapSizeLimits _limits = limits ?? MapSizeLimits.None;

    public PreparedChange Prepare(MapState current, MapOperation operation)
    {
        var next = MapReducer.Apply(current, operation);
        CheckLimits(current, next);
        var (patch, undo) = MapStatePatch.Between(current, next);
        var mapEvent = new MapEvent(
            next.Version,
            operation.Name,
            operation.Describe(),
            JsonSerializer.SerializeToElement(patch, MapJsonContext.Default.JsonObject),
            clock.GetUtcNow(),
            JsonSerializer.SerializeToElement(undo, MapJsonContext.Default.JsonObject),
            operation.TargetVersion);
        return new PreparedChange(
            new MapChange(next, mapEvent),
            Serialize(next),
            new PublishedMapEvent(next.Version, JsonSerializer.Serialize(mapEvent, MapJsonContext.Default.MapEvent)));
    }

    /// <summary>A change may not grow the map past a limit (shrinking is always allowed).</summary>
    private void CheckLimits(MapState current, MapState next)
    {
        var bytes = next.DataBytes();
        if (bytes > _limits.MaxDataBytes && bytes > current.DataBytes())
        {
            throw new MapOperationException(
                $"this map would hold {bytes:N0} bytes of layer data; one map session may hold at most {_limits.MaxDataBytes:N0} (MapServer:MaxSessionDataBytes). Remove a layer first (remove_layer), or use smaller data, vector tiles or PMTiles.");
        }

        if (next.Layers.Count > _limits.MaxLayers && next.Layers.Count > current.Layers.Count)
        {
            throw new MapOperationException(
                $"this map would hold {next.Layers.Count} layers; one map session may hold at most {_limits.MaxLayers} (MapServer:Limits:MaxLayersPerSession). Remove a layer first (remove_layer) or combine data into one layer.");
        }

        if (next.Annotations.Count > _limits.MaxAnnotations && next.Annotations.Count > current.Annotations.Count)
        {
            throw new MapOperationException(
                $"this map would hold {next.Annotations.Count} markers, lines, polygons and circles; one map session may hold at most {_limits.MaxAnnotations} (MapServer:Limits:MaxAnnotationsPerSession). Remove some (remove_annotation), or put many points into one GeoJSON layer (add_layer).");
        }
    }

    public static string Serialize(MapState state) => JsonSerializer.Serialize(state, MapJsonContext.Default.MapState);

    public static MapState Deserialize(string json) =>
        JsonSerializer.Deserialize(json, MapJsonContext.Default.MapState) ?? throw new JsonException("map state is null");
}
