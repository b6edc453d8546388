using ModelContextProtocol.Protocol;
using StbImageSharp;

namespace MapServer.Tests.Viewer;

/// <summary>A PNG from get_map_image, decoded: its size and the share of its pixels of a colour.</summary>
public sealed class MapImage(ImageResult image)
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public int Width => image.Width;

    public int Height => image.Height;

    /// <param name="name">Saves the PNG under this name in the test output folder and attaches it to the result.</param>
    public static MapImage From(CallToolResult result, string? name = null)
    {
        var block = Assert.Single(result.Content.OfType<ImageContentBlock>());
        Assert.Equal("image/png", block.MimeType);
        var png = block.DecodedData.ToArray();
        if (name is not null)
        {
            var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"{name}.png"), png);
            TestContext.Current.AddAttachment(name, png, "image/png");
        }

        return FromPng(png);
    }

    public static MapImage FromPng(byte[] png)
    {
        Assert.True(png.AsSpan().StartsWith(PngSignature), "not a PNG");
        return new MapImage(ImageResult.FromMemory(png, ColorComponents.RedGreenBlue));
    }

    /// <summary>The share of pixels (every 4th in each direction) for which <paramref name="matches"/> holds of (r, g, b).</summary>
    public double Share(Func<byte, byte, byte, bool> matches)
    {
        var hits = 0;
        var total = 0;
        for (var y = 0; y < image.Height; y += 4)
        {
            for (var x = 0; x < image.Width; x += 4)
            {
                var i = ((y * image.Width) + x) * 3;
                total++;
                if (matches(image.Data[i], image.Data[i + 1], image.Data[i + 2]))
                {
                    hits++;
                }
            }
        }

        return (double)hits / total;
    }

    public double RedShare => Share((r, g, b) => r > 200 && g < 60 && b < 60);
}
