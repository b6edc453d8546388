namespace MapServer.Api.Importing;

/// <summary>
/// <c>MapServer:Imports</c>: what one file import may cost. A file past a limit is refused whole, with the limit and
/// the setting in the message; nothing of it is stored.
/// </summary>
public sealed class ImportOptions
{
    public const string Section = "MapServer:Imports";

    /// <summary>The largest file taken, as uploaded (a zip or GeoPackage as it is): 100 MiB.</summary>
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The most features one import may bring, over all its layers: 1,000,000.</summary>
    public int MaxFeatures { get; set; } = 1_000_000;

    /// <summary>What a zip (KMZ, zipped Shapefile) may expand to, over the entries read: 512 MiB (zip bombs).</summary>
    public long MaxExpandedBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>How long one import may take, receiving the file (an upload, a URL) and converting it: 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many files one replica converts at once (CPU-bound); more answer "busy, try again": 2.</summary>
    public int MaxConcurrentImports { get; set; } = 2;

    /// <summary>How long the server waits for a file it fetches from a URL (import_file's url): 30 s.</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
