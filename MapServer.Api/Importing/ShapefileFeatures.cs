using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace MapServer.Api.Importing;

/// <summary>
/// A zipped Shapefile (NetTopologySuite.IO.Esri.Shapefile): each .shp in the zip, with its .shx, .dbf, .cpg and .prj,
/// is one table; coordinates in a projected system are reprojected to longitude/latitude from the .prj.
/// </summary>
public static class ShapefileFeatures
{
    private static readonly string[] Parts = [".shp", ".shx", ".dbf", ".prj", ".cpg"];
    private static readonly string[] Required = [".shx", ".dbf"];

    /// <summary>The tables of the zip, unpacked into <paramref name="folder"/> (the caller deletes it).</summary>
    public static IReadOnlyList<FeatureTable> Read(string fileName, Stream file, string folder, ZipEntries unpacking, GeometryFactory factory)
    {
        using var zip = ZipEntries.Open(file, fileName);
        var entries = zip.Entries
            .Where(e => !e.FullName.Contains("__MACOSX", StringComparison.Ordinal) && Parts.Contains(Path.GetExtension(e.Name), StringComparer.OrdinalIgnoreCase))
            .GroupBy(e => Path.GetFileNameWithoutExtension(e.Name), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Any(e => Path.GetExtension(e.Name).Equals(".shp", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (entries.Count == 0)
        {
            var held = string.Join(", ", zip.Entries.Take(20).Select(e => e.FullName));
            throw new ImportException(
                $"'{fileName}' holds no Shapefile (no .shp inside{(held.Length > 0 ? $"; it holds {held}" : "")}).",
                "Zip a Shapefile's .shp, .shx, .dbf and .prj together (the same name, different extensions) and import the zip.");
        }

        var tables = new List<FeatureTable>();
        for (var i = 0; i < entries.Count; i++)
        {
            var name = entries[i].Key;
            var missing = Required.Where(ext => !entries[i].Any(e => Path.GetExtension(e.Name).Equals(ext, StringComparison.OrdinalIgnoreCase))).ToList();
            if (missing.Count > 0)
            {
                throw new ImportException(
                    $"the Shapefile '{name}' in '{fileName}' lacks its {string.Join(" and ", missing)}.",
                    "Zip all the files of the Shapefile together: .shp, .shx, .dbf, and .prj for its coordinate system.");
            }

            // Each Shapefile gets a folder of its own under a safe name: the entry names are not trusted as paths.
            var shapefileFolder = Directory.CreateDirectory(Path.Combine(folder, $"shapefile{i}")).FullName;
            foreach (var entry in entries[i])
            {
                unpacking.Extract(entry, Path.Combine(shapefileFolder, $"data{Path.GetExtension(entry.Name).ToLowerInvariant()}"));
            }

            tables.Add(new FeatureTable(name, Features(name, Path.Combine(shapefileFolder, "data.shp"), factory)));
        }

        return tables;
    }

    private static IEnumerable<IFeature> Features(string name, string shpPath, GeometryFactory factory)
    {
        ShapefileReader reader;
        try
        {
            reader = Shapefile.OpenRead(shpPath, new ShapefileReaderOptions { Factory = factory });
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or NotSupportedException or FileNotFoundException)
        {
            throw new ImportException($"the Shapefile '{name}' cannot be read ({ex.Message}).", "Export the layer again from your GIS as a Shapefile, zip its files and import the zip.");
        }

        using (reader)
        {
            var reprojection = string.IsNullOrWhiteSpace(reader.Projection) ? null : Wgs84Reprojection.From(reader.Projection, $"{name}.prj");
            while (true)
            {
                Feature? feature;
                try
                {
                    if (!reader.Read(out var deleted, out feature))
                    {
                        yield break;
                    }

                    if (deleted)
                    {
                        continue;
                    }
                }
                catch (Exception ex) when (ex is IOException or InvalidDataException or ArgumentException or IndexOutOfRangeException or NotSupportedException or FormatException)
                {
                    throw new ImportException($"the Shapefile '{name}' is damaged ({ex.Message}).", "Export the layer again from your GIS as a Shapefile, zip its files and import the zip.");
                }

                if (reprojection is not null && feature.Geometry is { IsEmpty: false } geometry)
                {
                    feature.Geometry = reprojection.Apply(geometry);
                }

                yield return feature;
            }
        }
    }
}
