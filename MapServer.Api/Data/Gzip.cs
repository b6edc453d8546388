using System.IO.Compression;

namespace MapServer.Api.Data;

/// <summary>Layer data is compressed once when stored and served compressed as it is.</summary>
public static class Gzip
{
    public static byte[] Compress(ReadOnlySpan<byte> bytes)
    {
        using var output = new MemoryStream(bytes.Length / 4);
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    public static byte[] Decompress(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream(gzip.Length * 4);
        input.CopyTo(output);
        return output.ToArray();
    }
}
