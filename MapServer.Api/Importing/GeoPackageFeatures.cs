using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapServer.Api.Importing;

/// <summary>
/// A GeoPackage (an SQLite file; geometries read by NetTopologySuite.IO.GeoPackage): each feature table named in
/// gpkg_contents is one table, reprojected to longitude/latitude from its SRS. The file is opened read-only, with
/// the schema untrusted (views cannot call functions with side effects).
/// </summary>
public static class GeoPackageFeatures
{
    public static IReadOnlyList<FeatureTable> Read(string fileName, string path, GeometryFactory factory)
    {
        try
        {
            using var connection = Open(path);
            var tables = new List<(string Table, string Column, Wgs84Reprojection? Reprojection)>();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT c.table_name, g.column_name, s.srs_id, s.organization, s.organization_coordsys_id, s.definition
                    FROM gpkg_contents c
                    JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
                    LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
                    WHERE c.data_type = 'features'
                    ORDER BY c.table_name
                    """;
                using var rows = command.ExecuteReader();
                while (rows.Read())
                {
                    var table = rows.GetString(0);
                    var isWgs84 = rows.IsDBNull(2) || rows.GetInt64(2) is 4326 or 0 or -1
                        || (string.Equals(rows.IsDBNull(3) ? "" : rows.GetString(3), "EPSG", StringComparison.OrdinalIgnoreCase) && !rows.IsDBNull(4) && rows.GetInt64(4) == 4326);
                    var definition = rows.IsDBNull(5) ? "" : rows.GetString(5);
                    var reprojection = isWgs84 || definition is "" or "undefined" ? null : Wgs84Reprojection.From(definition, $"{fileName} ({table})");
                    tables.Add((table, rows.GetString(1), reprojection));
                }
            }

            if (tables.Count == 0)
            {
                throw new ImportException($"'{fileName}' holds no feature tables (only tiles or attributes).", "Import a GeoPackage with at least one vector feature table.");
            }

            return [.. tables.Select(t => new FeatureTable(t.Table, Features(fileName, path, t.Table, t.Column, t.Reprojection, factory)))];
        }
        catch (SqliteException ex)
        {
            throw NotAGeoPackage(fileName, ex);
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var untrusted = connection.CreateCommand();
        untrusted.CommandText = "PRAGMA trusted_schema = OFF; PRAGMA cell_size_check = ON;";
        untrusted.ExecuteNonQuery();
        return connection;
    }

    private static IEnumerable<IFeature> Features(string fileName, string path, string table, string geometryColumn, Wgs84Reprojection? reprojection, GeometryFactory factory)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        SqliteDataReader rows;
        try
        {
            rows = command.ExecuteReader();
        }
        catch (SqliteException ex)
        {
            throw NotAGeoPackage(fileName, ex);
        }

        using (rows)
        {
            var reader = new GeoPackageGeoReader(factory.CoordinateSequenceFactory, factory.PrecisionModel);
            for (var number = 1; ; number++)
            {
                try
                {
                    if (!rows.Read())
                    {
                        yield break;
                    }
                }
                catch (SqliteException ex)
                {
                    throw NotAGeoPackage(fileName, ex);
                }

                Geometry? geometry = null;
                var properties = new AttributesTable();
                for (var i = 0; i < rows.FieldCount; i++)
                {
                    var column = rows.GetName(i);
                    if (string.Equals(column, geometryColumn, StringComparison.OrdinalIgnoreCase))
                    {
                        geometry = rows.IsDBNull(i) ? null : ReadGeometry(reader, (byte[])rows.GetValue(i), table, number);
                    }
                    else if (!properties.Exists(column) && rows.GetValue(i) is var value && value is not byte[])
                    {
                        properties.Add(column, value is DBNull ? null : value); // typed by its column already
                    }
                }

                if (reprojection is not null && geometry is { IsEmpty: false })
                {
                    geometry = reprojection.Apply(geometry);
                }

                yield return new Feature(geometry, properties);
            }
        }
    }

    private static Geometry ReadGeometry(GeoPackageGeoReader reader, byte[] blob, string table, int number)
    {
        try
        {
            return reader.Read(blob);
        }
        catch (Exception ex) when (ex is ArgumentException or ParseException or InvalidOperationException or IndexOutOfRangeException or EndOfStreamException or NotSupportedException)
        {
            throw new ImportException(
                string.Create(CultureInfo.InvariantCulture, $"row {number:N0} of the table '{table}' has a geometry this server cannot read ({ex.Message})."),
                "Check the table in your GIS (e.g. QGIS: Check Validity), fix or remove that row, and import again.");
        }
    }

    private static ImportException NotAGeoPackage(string fileName, SqliteException ex) => new(
        $"'{fileName}' is not a GeoPackage this server can read ({ex.Message}).",
        "Export the layers again from your GIS as a GeoPackage (.gpkg) and import it.");
}
