using System.IO.Compression;

namespace MapServer.Api.Importing;

/// <summary>
/// Takes files out of an uploaded zip into a folder, counting what they expand to as it goes: a zip bomb stops at the
/// limit, whatever sizes its directory claims. Entry names are never used as paths (only their file names, checked).
/// </summary>
public sealed class ZipEntries(long maxExpandedBytes, string fileName)
{
    private long _expanded;

    public static ZipArchive Open(Stream file, string fileName)
    {
        try
        {
            return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new ImportException($"'{fileName}' is not a readable zip ({ex.Message}).", "Zip the files again (a plain .zip, not .7z or .rar) and import the new zip.");
        }
    }

    /// <summary>Copies <paramref name="entry"/> to <paramref name="path"/>.</summary>
    public void Extract(ZipArchiveEntry entry, string path)
    {
        try
        {
            using var source = entry.Open();
            using var target = File.Create(path);
            var buffer = new byte[81920];
            int read;
            while ((read = source.Read(buffer)) > 0)
            {
                _expanded += read;
                if (_expanded > maxExpandedBytes)
                {
                    throw new ImportException(
                        $"'{fileName}' expands to more than {maxExpandedBytes:N0} bytes, the most an import may unpack (MapServer:Imports:MaxExpandedBytes).",
                        "Import a smaller file, or split the data into several zips.",
                        ImportProblem.TooLarge);
                }

                target.Write(buffer, 0, read);
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImportException($"'{fileName}' is a damaged zip ({entry.Name}: {ex.Message}).", "Zip the files again and import the new zip.");
        }
    }
}
