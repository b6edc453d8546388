namespace MapServer.Api.Importing;

/// <summary>The file formats an import reads.</summary>
public enum ImportFormat
{
    Csv,
    GeoJson,
    Kml,
    Kmz,
    Gpx,
    ZippedShapefile,
    GeoPackage,
}
