using System.Text.Json;

namespace MapServer.Api.Maps;

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
