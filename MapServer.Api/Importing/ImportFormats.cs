using System.IO.Compression;
using System.Text;

namespace MapServer.Api.Importing;

/// <summary>
/// Which format a file is, from its first bytes; its name's extension must agree (a file that is not what its name
/// claims is refused, not guessed at).
/// </summary>
public static class ImportFormats
{
    public const string Accepted = "CSV/TSV (.csv, .tsv, .txt), GeoJSON (.geojson, .json), KML (.kml), KMZ (.kmz), GPX (.gpx), a zipped Shapefile (.zip holding .shp, .shx, .dbf and .prj) or a GeoPackage (.gpkg)";

    private static readonly Dictionary<string, ImportFormat> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".csv"] = ImportFormat.Csv,
        [".tsv"] = ImportFormat.Csv,
        [".txt"] = ImportFormat.Csv,
        [".geojson"] = ImportFormat.GeoJson,
        [".json"] = ImportFormat.GeoJson,
        [".kml"] = ImportFormat.Kml,
        [".kmz"] = ImportFormat.Kmz,
        [".gpx"] = ImportFormat.Gpx,
        [".zip"] = ImportFormat.ZippedShapefile,
        [".gpkg"] = ImportFormat.GeoPackage,
    };

    /// <summary>The format of <paramref name="file"/> (read from its start, then rewound), named <paramref name="fileName"/>.</summary>
    public static ImportFormat Detect(string fileName, Stream file)
    {
        var extension = Path.GetExtension(fileName);
        if (!ByExtension.TryGetValue(extension, out var claimed))
        {
            throw new ImportException(
                $"'{fileName}' is not a file type this server imports ({(extension.Length == 0 ? "no extension" : extension)}).",
                $"Import {Accepted}; give the file its usual extension.",
                ImportProblem.UnknownFormat);
        }

        var head = new byte[512];
        file.Position = 0;
        var length = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (length == 0)
        {
            throw new ImportException($"'{fileName}' is empty.", "Choose the file again; it holds no bytes.");
        }

        var found = Sniff(head.AsSpan(0, length), file);
        var agrees = (claimed, found) switch
        {
            (ImportFormat.Kmz or ImportFormat.ZippedShapefile, ImportFormat.Kmz or ImportFormat.ZippedShapefile) => true,
            (ImportFormat.Csv, ImportFormat.Csv) => true,
            _ => claimed == found,
        };
        if (!agrees)
        {
            throw new ImportException(
                $"'{fileName}' is named as {Describe(claimed)} but its content is {Describe(found)}.",
                "Check that this is the file you meant to import; if it is, give it the extension of what it holds.");
        }

        return found is ImportFormat.Kmz or ImportFormat.ZippedShapefile ? found.Value : claimed; // a zip is what it holds
    }

    private static ImportFormat? Sniff(ReadOnlySpan<byte> head, Stream file)
    {
        if (head.StartsWith("PK\u0003\u0004"u8))
        {
            return ZipHoldsKml(file) ? ImportFormat.Kmz : ImportFormat.ZippedShapefile;
        }

        if (head.StartsWith("SQLite format 3\0"u8))
        {
            return ImportFormat.GeoPackage;
        }

        var text = Encoding.UTF8.GetString(head.StartsWith("\uFEFF"u8) ? head[3..] : head).TrimStart();
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return ImportFormat.GeoJson;
        }

        if (text.StartsWith('<'))
        {
            if (text.Contains("<kml", StringComparison.OrdinalIgnoreCase))
            {
                return ImportFormat.Kml;
            }

            if (text.Contains("<gpx", StringComparison.OrdinalIgnoreCase))
            {
                return ImportFormat.Gpx;
            }
        }

        return head.Contains((byte)0) ? null : ImportFormat.Csv; // binary of no known kind
    }

    private static bool ZipHoldsKml(Stream file)
    {
        try
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            return zip.Entries.Any(e => e.FullName.EndsWith(".kml", StringComparison.OrdinalIgnoreCase))
                && !zip.Entries.Any(e => e.FullName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase));
        }
        catch (InvalidDataException)
        {
            return false; // a damaged zip: the Shapefile reader says so with its name
        }
        finally
        {
            file.Position = 0;
        }
    }

    private static string Describe(ImportFormat? format) => format switch
    {
        ImportFormat.Csv => "CSV text",
        ImportFormat.GeoJson => "GeoJSON",
        ImportFormat.Kml => "KML",
        ImportFormat.Kmz => "a zip (KMZ)",
        ImportFormat.Gpx => "GPX",
        ImportFormat.ZippedShapefile => "a zip",
        ImportFormat.GeoPackage => "a GeoPackage (SQLite)",
        _ => "binary data of no format this server reads",
    };
}
