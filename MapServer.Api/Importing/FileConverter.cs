using MapServer.Api.Telemetry;
using Microsoft.Extensions.Options;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace MapServer.Api.Importing;

/// <summary>
/// Turns an uploaded file into GeoJSON layers: the upload is spooled to a temporary file (memory stays flat whatever its
/// size), its format found from its bytes, each feature table read feature by feature into <see cref="GeoJsonLayerWriter"/>.
/// At most <see cref="ImportOptions.MaxConcurrentImports"/> files convert at once on a replica, each within its time limit.
/// </summary>
public sealed class FileConverter(IOptions<ImportOptions> options, MapMetrics metrics, ILogger<FileConverter> logger) : IDisposable
{
    private static readonly GeometryFactory Wgs84 = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentImports));

    public ImportOptions Limits => options.Value;

    /// <summary>Converts <paramref name="content"/>, named <paramref name="fileName"/>, within the features and bytes <paramref name="budget"/> leaves.</summary>
    public async Task<ConvertedFile> ConvertAsync(string fileName, Stream content, ImportBudget budget, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(TimeSpan.Zero, cancellationToken))
        {
            throw new ImportException(
                $"this server is converting {Limits.MaxConcurrentImports} files already.",
                "Send the file again in a few seconds.",
                ImportProblem.Busy);
        }

        var folder = Directory.CreateTempSubdirectory("mapserver-import-").FullName;
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Limits.Timeout);
            var path = Path.Combine(folder, "upload");
            try
            {
                await SpoolAsync(fileName, content, path, deadline.Token);
                var started = DateTime.UtcNow;
                var converted = await ConvertOffThreadAsync(fileName, path, folder, budget, deadline.Token);
                metrics.FileImported(converted.Format.ToString(), converted.Layers.Sum(l => l.Data.Features));
                logger.LogInformation(
                    "Converted {Format} {Bytes} bytes into {Layers} layer(s), {Features} features, in {Seconds:0.0} s",
                    converted.Format, new FileInfo(path).Length, converted.Layers.Count, converted.Layers.Sum(l => l.Data.Features), (DateTime.UtcNow - started).TotalSeconds);
                return converted;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The time limit covers receiving the file too: a slow upload or URL is refused as clearly as a slow conversion.
                throw new ImportException(
                    $"importing '{fileName}' took longer than {Limits.Timeout.TotalSeconds:0} s (receiving and converting it), the most one import may take (MapServer:Imports:Timeout).",
                    "Import a smaller file or fewer features, or serve large data as vector tiles or PMTiles.",
                    ImportProblem.TooLarge);
            }
        }
        finally
        {
            _slots.Release();
            TryDelete(folder);
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>The conversion, CPU-bound, off the request's thread and cancelled between features.</summary>
    private async Task<ConvertedFile> ConvertOffThreadAsync(string fileName, string path, string folder, ImportBudget budget, CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(() => Convert(fileName, path, folder, budget, cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (ex is not (ImportException or OperationCanceledException or OutOfMemoryException))
        {
            // A reader failing in a way it does not describe: still the file's fault, and still a clear answer.
            logger.LogWarning(ex, "Could not read an imported file as {Extension}", Path.GetExtension(fileName));
            throw new ImportException(
                $"'{fileName}' could not be read ({ex.Message}).",
                $"Check that the file is complete and really is what its extension says ({ImportFormats.Accepted}); export it again from the program that made it.");
        }
    }

    private async Task SpoolAsync(string fileName, Stream content, string path, CancellationToken cancellationToken)
    {
        await using var spooled = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > Limits.MaxFileBytes)
            {
                throw TooLarge(fileName, Limits.MaxFileBytes);
            }

            await spooled.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    public static ImportException TooLarge(string fileName, long limit) => new(
        $"'{fileName}' is larger than {limit:N0} bytes, the largest file this server imports (MapServer:Imports:MaxFileBytes).",
        "Split the file, keep only the features and columns you need, or serve large data as vector tiles or PMTiles (add_layer takes their URL).",
        ImportProblem.TooLarge);

    private ConvertedFile Convert(string fileName, string path, string folder, ImportBudget budget, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
        var format = ImportFormats.Detect(fileName, file);
        var title = Path.GetFileNameWithoutExtension(fileName);
        var unpacking = new ZipEntries(Limits.MaxExpandedBytes, fileName);
        IReadOnlyList<FeatureTable> tables = format switch
        {
            ImportFormat.Csv => [CsvFeatures.Read(title, fileName, path, Wgs84)],
            ImportFormat.GeoJson => [GeoJsonFeatures.Read(title, file, Wgs84)],
            ImportFormat.Kml => [KmlFeatures.Read(title, file, Wgs84)],
            ImportFormat.Kmz => [KmlFeatures.Read(title, UnpackKml(fileName, file, folder, unpacking), Wgs84)],
            ImportFormat.Gpx => [GpxFeatures.Read(title, file, Wgs84)],
            ImportFormat.ZippedShapefile => ShapefileFeatures.Read(fileName, file, folder, unpacking, Wgs84),
            ImportFormat.GeoPackage => GeoPackageFeatures.Read(fileName, path, Wgs84),
            _ => throw new ImportException($"'{fileName}' is in no format this server reads.", $"Import {ImportFormats.Accepted}.", ImportProblem.UnknownFormat),
        };

        var layers = new List<ConvertedLayer>(tables.Count);
        var warnings = new List<string>();
        foreach (var table in tables)
        {
            using var writer = new GeoJsonLayerWriter(table.Name, budget);
            foreach (var feature in table.Features)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.Write(feature.Geometry, feature.Attributes);
            }

            layers.Add(writer.Finish());
            warnings.AddRange(writer.Warnings);
        }

        return new ConvertedFile(fileName, format, layers, warnings);
    }

    /// <summary>A KMZ's main document (doc.kml, else the first .kml), unpacked beside the upload.</summary>
    private static FileStream UnpackKml(string fileName, Stream file, string folder, ZipEntries unpacking)
    {
        using var zip = ZipEntries.Open(file, fileName);
        var kml = zip.Entries.FirstOrDefault(e => e.FullName.Equals("doc.kml", StringComparison.OrdinalIgnoreCase))
            ?? zip.Entries.FirstOrDefault(e => e.FullName.EndsWith(".kml", StringComparison.OrdinalIgnoreCase))
            ?? throw new ImportException($"'{fileName}' holds no .kml document.", "A KMZ is a zip with a doc.kml inside; export it again from Google Earth.");
        var path = Path.Combine(folder, "doc.kml");
        unpacking.Extract(kml, path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.DeleteOnClose);
    }

    private void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not delete the import folder {Folder}", folder);
        }
        catch (UnauthorizedAccessException ex)
        {
            logger.LogWarning(ex, "Could not delete the import folder {Folder}", folder);
        }
    }
}
