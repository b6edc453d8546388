using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NetTopologySuite.IO.Converters;
using nietras.SeparatedValues;

namespace MapServer.Api.Data;

/// <summary>
/// A stored layer as CSV (written with Sep): one row per feature, one column per property; points as longitude and
/// latitude columns (so the file imports back as it is), other geometries as a WKT column.
/// </summary>
public static class LayerCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly JsonSerializerOptions GeometryJson = new() { Converters = { new GeoJsonConverterFactory() } };

    public static async Task WriteAsync(byte[] gzip, HttpResponse response, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress), cancellationToken: cancellationToken);
        var features = document.RootElement.TryGetProperty("features", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray()]
            : new List<JsonElement> { document.RootElement };

        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pointsOnly = true;
        foreach (var feature in features)
        {
            pointsOnly &= Geometry(feature) is { ValueKind: JsonValueKind.Object } g && g.TryGetProperty("type", out var type) && type.ValueEquals("Point");
            if (feature.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
            {
                columns.AddRange(properties.EnumerateObject().Select(p => p.Name).Where(seen.Add));
            }
        }

        string[] location = pointsOnly ? ["longitude", "latitude"] : ["wkt"];
        var propertyColumns = columns.Where(c => !location.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();

        // Buffered in memory up to 32 KB, then on disk, and copied to the response asynchronously.
        await using var buffer = new FileBufferingWriteStream();
        await using (var text = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            using var writer = Sep.New(',').Writer(options => options with { Escape = true }).To(text);
            var wkt = new WKTWriter();
            foreach (var feature in features)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var row = writer.NewRow(CancellationToken.None); // synchronous, into the buffer
                var geometry = Geometry(feature);
                if (pointsOnly)
                {
                    var coordinates = geometry!.Value.GetProperty("coordinates");
                    row["longitude"].Set(coordinates[0].GetRawText());
                    row["latitude"].Set(coordinates[1].GetRawText());
                }
                else
                {
                    row["wkt"].Set(geometry is { ValueKind: JsonValueKind.Object } g ? wkt.Write(g.Deserialize<Geometry>(GeometryJson)) : "");
                }

                var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                foreach (var column in propertyColumns)
                {
                    row[column].Set(properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(column, out var value) ? Cell(value) : "");
                }
            }
        }

        response.ContentType = ContentType;
        await buffer.DrainBufferAsync(response.Body, cancellationToken);
    }

    private static JsonElement? Geometry(JsonElement feature) =>
        feature.TryGetProperty("geometry", out var geometry) ? geometry : feature.TryGetProperty("coordinates", out _) ? feature : null;

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };
}
