using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;
using nietras.SeparatedValues;

namespace MapServer.Api.Importing;

/// <summary>
/// A CSV or TSV file (the separator is detected), read row by row with Sep, twice: once to learn each column's kind
/// (<see cref="ImportValues"/>), once to write the features: the location from longitude/latitude columns found by
/// name, or from a WKT or GeoJSON geometry column; every other cell typed as its column.
/// </summary>
public static class CsvFeatures
{
    private static readonly string[] LongitudeNames = ["longitude", "lon", "lng", "long", "x", "decimallongitude", "lon_dd"];
    private static readonly string[] LatitudeNames = ["latitude", "lat", "y", "decimallatitude", "lat_dd"];
    private static readonly string[] GeometryNames = ["wkt", "geometry", "geom", "the_geom", "shape", "geojson", "wkb_geometry"];

    /// <summary>The table named <paramref name="name"/> of the CSV file at <paramref name="path"/> (named <paramref name="fileName"/> in messages).</summary>
    public static FeatureTable Read(string name, string fileName, string path, GeometryFactory factory) => new(name, Rows(fileName, path, factory));

    private static SepReader Open(string path) => Sep.Reader(options => options with { Unescape = true, DisableColCountCheck = true }).FromFile(path);

    /// <summary>Where the rows' locations are (refused at once when nowhere), and each column's kind over all its cells.</summary>
    private static (Location Location, CellKind[] Kinds) Scan(string fileName, string path)
    {
        using var reader = Open(path);
        var location = Location.Find(fileName, reader.Header.ColNames);
        var kinds = new CellKind[reader.Header.ColNames.Count];
        foreach (var row in reader)
        {
            for (var i = 0; i < kinds.Length && i < row.ColCount; i++)
            {
                if (kinds[i] != CellKind.Text)
                {
                    kinds[i] = ImportValues.Widen(kinds[i], ImportValues.KindOf(row[i].Span));
                }
            }
        }

        return (location, kinds);
    }

    private static IEnumerable<IFeature> Rows(string fileName, string path, GeometryFactory factory)
    {
        var (location, kinds) = Scan(fileName, path);
        using var reader = Open(path);
        var columns = reader.Header.ColNames;
        var wkt = new WKTReader(factory.GeometryServices);
        var geoJson = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory(factory) } };
        var number = 0;
        foreach (var row in reader)
        {
            number++;
            var properties = new AttributesTable();
            for (var i = 0; i < columns.Count && i < row.ColCount; i++)
            {
                if (!location.Uses(i) && !properties.Exists(columns[i]))
                {
                    properties.Add(columns[i], ImportValues.Typed(row[i].Span, kinds[i]));
                }
            }

            Geometry? geometry;
            if (location.Geometry is { } g)
            {
                geometry = g < row.ColCount ? ParseGeometry(row[g].ToString(), number, columns[g], wkt, geoJson) : null;
            }
            else
            {
                var lon = location.Longitude < row.ColCount ? Coordinate(row[location.Longitude].Span, number, columns[location.Longitude]) : null;
                var lat = location.Latitude < row.ColCount ? Coordinate(row[location.Latitude].Span, number, columns[location.Latitude]) : null;
                geometry = lon is { } x && lat is { } y ? factory.CreatePoint(new Coordinate(x, y)) : null;
            }

            yield return new Feature(geometry, properties);
        }
    }

    private static double? Coordinate(ReadOnlySpan<char> cell, int row, string column)
    {
        var text = cell.Trim();
        if (text.IsEmpty)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ImportException(
                $"row {row:N0}: '{text}' in column '{column}' is not a number.",
                "Give coordinates as decimal degrees with a point, e.g. 2.3522 (not 2,3522 or 2°21'08\"); leave the cell empty for a row without a location.");
    }

    private static Geometry? ParseGeometry(string cell, int row, string column, WKTReader wkt, JsonSerializerOptions geoJson)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        try
        {
            return text.StartsWith('{') ? JsonSerializer.Deserialize<Geometry>(text, geoJson) : wkt.Read(text);
        }
        catch (Exception ex) when (ex is ParseException or ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            throw new ImportException(
                $"row {row:N0}: column '{column}' does not hold a geometry this server can read ({ex.Message}).",
                "Give geometries as WKT, e.g. POINT (2.35 48.85) or POLYGON ((...)), or as GeoJSON geometry objects.");
        }
    }

    /// <summary>Where a row's location is: a geometry column, or a longitude and a latitude column.</summary>
    private sealed record Location(int Longitude, int Latitude, int? Geometry)
    {
        public bool Uses(int column) => column == Geometry || (Geometry is null && (column == Longitude || column == Latitude));

        public static Location Find(string fileName, IReadOnlyList<string> columns)
        {
            var normalized = columns.Select(c => c.Trim().ToLowerInvariant()).ToList();
            int IndexOf(string[] names) => names.Select(n => normalized.IndexOf(n)).FirstOrDefault(i => i >= 0, -1);

            var longitude = IndexOf(LongitudeNames);
            var latitude = IndexOf(LatitudeNames);
            if (longitude >= 0 && latitude >= 0)
            {
                return new Location(longitude, latitude, null);
            }

            var geometry = IndexOf(GeometryNames);
            if (geometry >= 0)
            {
                return new Location(-1, -1, geometry);
            }

            var found = columns.Count == 0 ? "no columns" : $"the columns {string.Join(", ", columns.Take(40).Select(c => $"'{c}'"))}";
            throw new ImportException(
                $"found no coordinates in '{fileName}': it has {found}.",
                "Name the coordinate columns longitude and latitude (or lon/lat, lng/lat, x/y), or add a geometry column named wkt or geometry holding WKT such as POINT (2.35 48.85). To place rows by address, geocode them first.");
        }
    }
}
