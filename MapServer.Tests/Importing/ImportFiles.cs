using System.IO.Compression;
using System.Text;
using Microsoft.Data.Sqlite;
using NetTopologySuite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Esri;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace MapServer.Tests.Importing;

/// <summary>
/// The files people bring, made in the test as their tools make them: CSV with coordinates or WKT, GeoJSON, KML and KMZ
/// from Google Earth, a GPX track, a zipped Shapefile in a projected coordinate system (UTM 31N, with its .prj) and a
/// GeoPackage with two tables. Each comes with what importing it must give.
/// </summary>
public static class ImportFiles
{
    /// <summary>UTM zone 31N (EPSG:32631) as ArcGIS writes it into a .prj.</summary>
    public const string Utm31NorthPrj = """PROJCS["WGS_1984_UTM_Zone_31N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",3.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]""";

    private const string Wgs84Wkt = """GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]""";

    private static readonly GeometryFactory Wgs84 = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    /// <summary>Five cities with lat/lon columns (latitude first, as spreadsheets often have it), a number, a date and a code.</summary>
    public static ImportFile CitiesCsv => new(
        "cities.csv",
        Encoding.UTF8.GetBytes("""
            name,lat,lon,population,founded,code
            Paris,48.8566,2.3522,2102650,0300-01-01,075
            Lyon,45.7640,4.8357,522250,1900-05-02,069
            "Marseille, the old port",43.2965,5.3698,873076,1850-01-01,013
            Lille,50.6292,3.0573,236710,1999-12-31,059
            Nice,43.7102,7.2620,348085,2000-01-01,006
            """.ReplaceLineEndings("\n")),
        Features: 5, Bbox: [2.3522, 43.2965, 7.2620, 50.6292], Columns: ["name", "population", "founded", "code"], GeometryType: "Point");

    /// <summary>Tab-separated, a WKT column: a polygon and a line.</summary>
    public static ImportFile AreasTsv => new(
        "areas.tsv",
        Encoding.UTF8.GetBytes("id\tkind\twkt\n1\tpark\tPOLYGON ((2.30 48.85, 2.32 48.85, 2.32 48.87, 2.30 48.87, 2.30 48.85))\n2\troad\tLINESTRING (2.29 48.84, 2.35 48.86)\n"),
        Features: 2, Bbox: [2.29, 48.84, 2.35, 48.87], Columns: ["id", "kind"], GeometryType: "Polygon");

    public static ImportFile RiversGeoJson => new(
        "rivers.geojson",
        Encoding.UTF8.GetBytes("""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","geometry":{"type":"LineString","coordinates":[[2.2,48.8],[2.4,48.9]]},"properties":{"name":"Seine","length_km":777,"tags":{"navigable":true}}},
              {"type":"Feature","geometry":{"type":"LineString","coordinates":[[4.8,45.7],[4.9,45.8]]},"properties":{"name":"Rhône","length_km":813,"tags":null}}
            ]}
            """),
        Features: 2, Bbox: [2.2, 45.7, 4.9, 48.9], Columns: ["name", "length_km", "tags"], GeometryType: "LineString");

    /// <summary>Google Earth's KML: placemarks in a folder, a point with ExtendedData, a line, a polygon with a hole.</summary>
    public static ImportFile PlacesKml => new("places.kml", Encoding.UTF8.GetBytes(Kml), Features: 3, Bbox: [2.29, 48.85, 2.40, 48.90], Columns: ["name", "description", "rating"], GeometryType: "Polygon");

    public static ImportFile PlacesKmz => new("places.kmz", Zip(("doc.kml", Encoding.UTF8.GetBytes(Kml)), ("files/icon.png", [0x89, 0x50, 0x4e, 0x47])), 3, [2.29, 48.85, 2.40, 48.90], ["name", "description", "rating"], "Polygon");

    /// <summary>A GPS track (two segments) and two waypoints.</summary>
    public static ImportFile RideGpx => new(
        "ride.gpx",
        Encoding.UTF8.GetBytes("""
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
              <wpt lat="48.8530" lon="2.3499"><ele>35</ele><name>Start</name></wpt>
              <wpt lat="48.8738" lon="2.2950"><name>Finish</name></wpt>
              <trk><name>Morning ride</name><type>cycling</type>
                <trkseg>
                  <trkpt lat="48.8530" lon="2.3499"><time>2026-05-01T07:00:00Z</time></trkpt>
                  <trkpt lat="48.8600" lon="2.3300"><time>2026-05-01T07:05:00Z</time></trkpt>
                </trkseg>
                <trkseg>
                  <trkpt lat="48.8650" lon="2.3100"><time>2026-05-01T07:10:00Z</time></trkpt>
                  <trkpt lat="48.8738" lon="2.2950"><time>2026-05-01T07:15:00Z</time></trkpt>
                </trkseg>
              </trk>
            </gpx>
            """),
        Features: 3, Bbox: [2.2950, 48.8530, 2.3499, 48.8738], Columns: ["kind", "name", "type", "start", "end", "points", "elevation"], GeometryType: "MultiLineString");

    /// <summary>Three parcels around Paris as a zipped Shapefile in UTM 31N, with its .prj, .cpg and non-ASCII names.</summary>
    public static ImportFile ParcelsShapefile()
    {
        var toUtm = new CoordinateTransformationFactory()
            .CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, new CoordinateSystemFactory().CreateFromWkt(Utm31NorthPrj)).MathTransform;
        Coordinate Utm(double lon, double lat)
        {
            var (x, y) = toUtm.Transform(lon, lat);
            return new Coordinate(x, y);
        }

        var folder = Directory.CreateTempSubdirectory("shapefile-").FullName;
        try
        {
            var factory = new GeometryFactory();
            var features = new[] { (2.30, "Élysée", 1.5), (2.33, "Île", 2.25), (2.36, "Marais", 3.0) }.Select(p =>
            {
                var (lon, name, area) = p;
                var ring = factory.CreatePolygon([Utm(lon, 48.85), Utm(lon + 0.01, 48.85), Utm(lon + 0.01, 48.86), Utm(lon, 48.86), Utm(lon, 48.85)]);
                return (IFeature)new Feature(ring, new AttributesTable { { "name", name }, { "area_ha", area } });
            }).ToList();
            Shapefile.WriteAllFeatures(features, Path.Combine(folder, "parcels.shp"), Utm31NorthPrj, Encoding.UTF8);
            var files = Directory.GetFiles(folder).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToArray();
            return new ImportFile("parcels.zip", Zip(files), 3, [2.30, 48.85, 2.37, 48.86], ["name", "area_ha"], "Polygon");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A GeoPackage with two feature tables: parks (polygons, EPSG:4326) and stations (points, in UTM 31N).</summary>
    public static ImportFile TransitGeoPackage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"transit-{Guid.NewGuid():N}.gpkg");
        try
        {
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                Execute(connection, """
                    PRAGMA application_id = 1196444487;
                    CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
                    CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT, description TEXT DEFAULT '', last_change DATETIME, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
                    CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL);
                    CREATE TABLE parks (fid INTEGER PRIMARY KEY, geom BLOB, name TEXT, opened DATE);
                    CREATE TABLE stations (fid INTEGER PRIMARY KEY, shape BLOB, name TEXT, lines INTEGER);
                    INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES ('parks', 'features', 'parks', 4326), ('stations', 'features', 'stations', 32631), ('legend', 'attributes', 'legend', 0);
                    INSERT INTO gpkg_geometry_columns VALUES ('parks', 'geom', 'POLYGON', 4326, 0, 0), ('stations', 'shape', 'POINT', 32631, 0, 0);
                    """);
                Execute(connection, "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, $wgs84, NULL), ('UTM 31N', 32631, 'EPSG', 32631, $utm, NULL)", ("$wgs84", Wgs84Wkt), ("$utm", Utm31NorthPrj));

                var writer = new GeoPackageGeoWriter();
                var park = Wgs84.CreatePolygon([new(2.33, 48.84), new(2.34, 48.84), new(2.34, 48.85), new(2.33, 48.85), new(2.33, 48.84)]);
                Execute(connection, "INSERT INTO parks (geom, name, opened) VALUES ($g, 'Luxembourg', '1612-01-01')", ("$g", writer.Write(park)));
                var toUtm = new CoordinateTransformationFactory()
                    .CreateFromCoordinateSystems(GeographicCoordinateSystem.WGS84, new CoordinateSystemFactory().CreateFromWkt(Utm31NorthPrj)).MathTransform;
                foreach (var (lon, lat, name, lines) in new[] { (2.3730, 48.8447, "Gare de Lyon", 4), (2.3553, 48.8809, "Gare du Nord", 5) })
                {
                    var (x, y) = toUtm.Transform(lon, lat);
                    var point = new GeometryFactory(new PrecisionModel(), 32631).CreatePoint(new Coordinate(x, y));
                    Execute(connection, "INSERT INTO stations (shape, name, lines) VALUES ($g, $n, $l)", ("$g", writer.Write(point)), ("$n", name), ("$l", lines));
                }
            }

            return new ImportFile("transit.gpkg", File.ReadAllBytes(path), 3, [2.33, 48.84, 2.3730, 48.8809], ["name", "opened", "lines"], "Polygon");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every good fixture, by name, for theories.</summary>
    public static ImportFile Named(string fileName) => fileName switch
    {
        "cities.csv" => CitiesCsv,
        "areas.tsv" => AreasTsv,
        "rivers.geojson" => RiversGeoJson,
        "places.kml" => PlacesKml,
        "places.kmz" => PlacesKmz,
        "ride.gpx" => RideGpx,
        "parcels.zip" => ParcelsShapefile(),
        "transit.gpkg" => TransitGeoPackage(),
        _ => throw new ArgumentException(fileName),
    };

    public static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                entry.Write(bytes);
            }
        }

        return buffer.ToArray();
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private const string Kml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <kml xmlns="http://www.opengis.net/kml/2.2">
          <Document><name>Paris walk</name>
            <Folder><name>Stops</name>
              <Placemark>
                <name>Café</name><description>Good coffee</description>
                <ExtendedData><Data name="rating"><value>4.5</value></Data></ExtendedData>
                <Point><coordinates>2.3500,48.8600,0</coordinates></Point>
              </Placemark>
              <Placemark>
                <name>Walk</name>
                <LineString><coordinates>2.29,48.85 2.31,48.86
                  2.33,48.87</coordinates></LineString>
              </Placemark>
            </Folder>
            <Placemark>
              <name>Park</name>
              <Polygon>
                <outerBoundaryIs><LinearRing><coordinates>2.36,48.88 2.40,48.88 2.40,48.90 2.36,48.90 2.36,48.88</coordinates></LinearRing></outerBoundaryIs>
                <innerBoundaryIs><LinearRing><coordinates>2.37,48.885 2.38,48.885 2.38,48.89 2.37,48.885</coordinates></LinearRing></innerBoundaryIs>
              </Polygon>
            </Placemark>
          </Document>
        </kml>
        """;
}
