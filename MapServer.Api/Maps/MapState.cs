using System.Text.Json.Serialization;

namespace MapServer.Api.Maps;

/// <summary>
/// The whole state of one map session, stored as JSON at <c>map_state:&lt;session-id&gt;</c>.
/// <see cref="Version"/> is written first: the store's Lua script reads it from the JSON prefix.
/// </summary>
public sealed record MapState
{
    [JsonPropertyOrder(-1)]
    public long Version { get; init; }

    /// <summary>[longitude, latitude].</summary>
    public double[] Center { get; init; } = [0, 20];

    public double Zoom { get; init; } = 2;

    public double Bearing { get; init; }

    public double Pitch { get; init; }

    /// <summary>
    /// The box fit_bounds framed, while no other view change replaced it: each viewer fits it to its own screen
    /// (MapLibre's fitBounds); <see cref="Center"/> and <see cref="Zoom"/> hold the view it implies on a 1024x768 screen.
    /// </summary>
    public FittedBounds? Bounds { get; init; }

    public string Basemap { get; init; } = Basemaps.Default;

    /// <summary>Data layers keyed by id.</summary>
    public Dictionary<string, MapLayer> Layers { get; init; } = [];

    /// <summary>Ids of <see cref="Layers"/>, bottom to top.</summary>
    public List<string> LayerOrder { get; init; } = [];

    /// <summary>Markers, lines, polygons and circles keyed by id.</summary>
    public Dictionary<string, MapAnnotation> Annotations { get; init; } = [];

    public static MapState Initial { get; } = new();

    /// <summary>Bytes of layer data (stored beside the state) that the map's layers use.</summary>
    public long DataBytes() => Layers.Values.Sum(layer => layer.Data?.Bytes ?? 0);
}
