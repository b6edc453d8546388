using System.Text.Json;
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

/// <summary>One data layer: a MapLibre source, the style layers drawing it, and the agent's overrides.</summary>
public sealed record MapLayer
{
    /// <summary>The MapLibre source spec; a GeoJSON source's <c>data</c> is the URL of <see cref="Data"/> when the data is stored beside the state.</summary>
    public required JsonElement Source { get; init; }

    /// <summary>The GeoJSON stored beside the state for this layer, if any.</summary>
    public LayerData? Data { get; init; }

    /// <summary>MapLibre style layer specs; each has a unique <c>id</c> and a <c>type</c>.</summary>
    public required List<JsonElement> Layers { get; init; }

    public bool Visible { get; init; } = true;

    public string? Title { get; init; }

    /// <summary>Colour of the legend swatch.</summary>
    public string? LegendColor { get; init; }

    /// <summary>0..1, applied to every style layer of this layer.</summary>
    public double Opacity { get; init; } = 1;

    /// <summary>Filter expressions keyed by style layer id.</summary>
    public Dictionary<string, JsonElement> Filters { get; init; } = [];

    /// <summary>Paint property overrides keyed by style layer id, then property name.</summary>
    public Dictionary<string, Dictionary<string, JsonElement>> Paint { get; init; } = [];

    /// <summary>Layout property overrides keyed by style layer id, then property name.</summary>
    public Dictionary<string, Dictionary<string, JsonElement>> Layout { get; init; } = [];
}

/// <summary>A marker, line, polygon or circle the agent placed, with a caller-chosen id.</summary>
public sealed record MapAnnotation
{
    public required AnnotationKind Kind { get; init; }

    /// <summary>A GeoJSON geometry: Point for markers and circles, LineString, Polygon.</summary>
    public required JsonElement Geometry { get; init; }

    public string? Label { get; init; }

    public string Color { get; init; } = "#e11d48";

    /// <summary>Popup text (Markdown) shown when the annotation is clicked.</summary>
    public string? Popup { get; init; }

    /// <summary>Radius of a circle in metres.</summary>
    public double? RadiusMeters { get; init; }
}

public enum AnnotationKind
{
    [JsonStringEnumMemberName("marker")]
    Marker,
    [JsonStringEnumMemberName("line")]
    Line,
    [JsonStringEnumMemberName("polygon")]
    Polygon,
    [JsonStringEnumMemberName("circle")]
    Circle,
}

/// <summary>The basemaps a map can show.</summary>
public static class Basemaps
{
    public const string Default = "streets";

    /// <summary>Name -> what it is; "blank" needs no network.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["streets"] = "OpenStreetMap raster tiles (needs internet)",
        ["topo"] = "OpenTopoMap raster tiles (needs internet)",
        ["satellite"] = "Esri World Imagery raster tiles (needs internet)",
        ["blank"] = "plain background with a graticule, works offline",
    };
}
