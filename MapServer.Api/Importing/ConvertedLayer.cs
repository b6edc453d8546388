using MapServer.Api.Maps;

namespace MapServer.Api.Importing;

/// <summary>
/// One layer of an imported file, converted: its GeoJSON FeatureCollection gzip-compressed as it will be stored, what
/// the layer's <see cref="LayerData"/> reference says of it, and what the import tells its caller.
/// </summary>
public sealed record ConvertedLayer(
    string Name,
    byte[] Gzip,
    LayerData Data,
    double[]? Bbox,
    IReadOnlyDictionary<string, int> GeometryTypes,
    IReadOnlyList<string> Columns);
