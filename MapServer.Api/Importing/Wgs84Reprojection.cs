using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace MapServer.Api.Importing;

/// <summary>Reprojects geometries from a coordinate system given as WKT (a Shapefile's .prj, a GeoPackage's SRS) to WGS84 longitude/latitude, with ProjNET.</summary>
public sealed class Wgs84Reprojection : ICoordinateSequenceFilter
{
    private readonly MathTransform _transform;

    private Wgs84Reprojection(MathTransform transform) => _transform = transform;

    public bool Done => false;

    public bool GeometryChanged => true;

    /// <summary>The reprojection from <paramref name="wkt"/>, or null when it already is geographic WGS84.</summary>
    public static Wgs84Reprojection? From(string wkt, string fileName)
    {
        CoordinateSystem source;
        try
        {
            source = new CoordinateSystemFactory().CreateFromWkt(wkt);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or NotSupportedException or InvalidOperationException or NullReferenceException)
        {
            throw new ImportException(
                $"the coordinate system of '{fileName}' is not one this server can read ({ex.Message}).",
                "Reproject the data to WGS84 (EPSG:4326) in your GIS (e.g. QGIS: Export > Save Features As, CRS EPSG:4326) and import it again.");
        }

        if (source is GeographicCoordinateSystem geographic && geographic.EqualParams(GeographicCoordinateSystem.WGS84))
        {
            return null;
        }

        try
        {
            return new Wgs84Reprojection(new CoordinateTransformationFactory().CreateFromCoordinateSystems(source, GeographicCoordinateSystem.WGS84).MathTransform);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or NotImplementedException or InvalidOperationException)
        {
            throw new ImportException(
                $"'{fileName}' uses a projection this server cannot convert to longitude/latitude ({ex.Message}).",
                "Reproject the data to WGS84 (EPSG:4326) in your GIS and import it again.");
        }
    }

    public Geometry Apply(Geometry geometry)
    {
        var copy = geometry.Copy();
        copy.Apply(this);
        return copy;
    }

    public void Filter(CoordinateSequence seq, int i)
    {
        var x = seq.GetX(i);
        var y = seq.GetY(i);
        _transform.Transform(ref x, ref y);
        seq.SetX(i, x);
        seq.SetY(i, y);
    }
}
