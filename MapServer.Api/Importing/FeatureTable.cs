using NetTopologySuite.Features;

namespace MapServer.Api.Importing;

/// <summary>One table of features in a file (the file itself, or one of a GeoPackage's tables), read lazily.</summary>
public sealed record FeatureTable(string Name, IEnumerable<IFeature> Features);
