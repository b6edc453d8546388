using MapServer.Api.Maps;

namespace MapServer.Api.Mcp;

/// <summary>describe_layer's answer: a GeoJSON layer's shape and properties at a version of the map.</summary>
public sealed record LayerDescription(
    string LayerId,
    long Version,
    int Features,
    IReadOnlyDictionary<string, int> GeometryTypes,
    double[]? Bbox,
    IReadOnlyList<PropertyProfile> Properties);
