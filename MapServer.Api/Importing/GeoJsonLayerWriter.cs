using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using MapServer.Api.Maps;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Valid;

namespace MapServer.Api.Importing;

/// <summary>
/// Writes one imported layer's features as a GeoJSON FeatureCollection straight into its stored form: hashed
/// (SHA-256, its key) and gzip-compressed as it is written, so a file of any size never exists as GeoJSON text in
/// memory. Each feature is checked on the way: coordinates must be longitude/latitude, invalid geometries are repaired
/// where that is safe (else refused with the feature's number), features without a geometry are left out and counted.
/// </summary>
public sealed class GeoJsonLayerWriter : IDisposable
{
    private static readonly JsonSerializerOptions GeometryJson = new() { Converters = { new GeoJsonConverterFactory() } };

    private readonly string _name;
    private readonly ImportBudget _budget;
    private readonly MemoryStream _stored = new();
    private readonly SHA256 _sha = SHA256.Create();
    private readonly GZipStream _gzip;
    private readonly CryptoStream _hashing;
    private readonly Utf8JsonWriter _json;
    private readonly Envelope _bounds = new();
    private readonly Dictionary<string, int> _geometryTypes = [];
    private readonly List<string> _columns = [];
    private readonly HashSet<string> _seenColumns = [];
    private int _read;
    private int _written;
    private int _repaired;
    private int _firstRepaired;
    private int _withoutGeometry;
    private int _firstWithoutGeometry;

    /// <param name="name">The layer's name in the file (a table, the file itself), for messages.</param>
    /// <param name="budget">The limits this layer shares with the rest of the import.</param>
    public GeoJsonLayerWriter(string name, ImportBudget budget)
    {
        _name = name;
        _budget = budget;
        _gzip = new GZipStream(_stored, CompressionLevel.Fastest, leaveOpen: true);
        _hashing = new CryptoStream(_gzip, _sha, CryptoStreamMode.Write, leaveOpen: true);
        _json = new Utf8JsonWriter(_hashing);
        _json.WriteStartObject();
        _json.WriteString("type", "FeatureCollection");
        _json.WriteStartArray("features");
    }

    /// <summary>Notes for the person importing: what was repaired or left out.</summary>
    public IEnumerable<string> Warnings
    {
        get
        {
            if (_repaired > 0)
            {
                yield return $"{_name}: {_repaired:N0} invalid geometr{(_repaired == 1 ? "y was" : "ies were")} repaired (the first is feature {_firstRepaired:N0}).";
            }

            if (_withoutGeometry > 0)
            {
                yield return $"{_name}: {_withoutGeometry:N0} feature{(_withoutGeometry == 1 ? "" : "s")} without a location {(_withoutGeometry == 1 ? "was" : "were")} left out (the first is feature {_firstWithoutGeometry:N0}).";
            }
        }
    }

    /// <summary>Writes the next feature of the file (numbered from 1 in messages).</summary>
    public void Write(Geometry? geometry, IAttributesTable? properties)
    {
        var number = ++_read;
        if (geometry is null || geometry.IsEmpty)
        {
            _firstWithoutGeometry = _withoutGeometry++ == 0 ? number : _firstWithoutGeometry;
            return;
        }

        geometry = Checked(geometry is GeometryCollection { NumGeometries: 1 } single and not { GeometryType: "GeometryCollection" } ? single.GetGeometryN(0) : geometry, number);
        _budget.CountFeature();
        _written++;
        _bounds.ExpandToInclude(geometry.EnvelopeInternal);
        _geometryTypes[geometry.GeometryType] = _geometryTypes.GetValueOrDefault(geometry.GeometryType) + 1;

        _json.WriteStartObject();
        _json.WriteString("type", "Feature");
        _json.WritePropertyName("geometry");
        JsonSerializer.Serialize(_json, geometry, GeometryJson);
        _json.WriteStartObject("properties");
        if (properties is not null)
        {
            foreach (var column in properties.GetNames())
            {
                WriteProperty(column, properties[column]);
            }
        }

        _json.WriteEndObject();
        _json.WriteEndObject();
        if (_json.BytesPending > 16 * 1024)
        {
            _json.Flush();
        }

        _budget.CheckBytes(_json.BytesCommitted + _json.BytesPending, _name);
    }

    /// <summary>Ends the collection; the layer as it will be stored. Refused when no feature had a location.</summary>
    public ConvertedLayer Finish()
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        var bytes = _json.BytesCommitted;
        _budget.CheckBytes(bytes, _name);
        _json.Dispose();
        _hashing.Dispose(); // the hash's final block
        _gzip.Dispose(); // the gzip trailer
        if (_written == 0)
        {
            throw new ImportException(
                _read == 0 ? $"{_name} holds no features." : $"none of the {_read:N0} features of {_name} has a location.",
                "Import a file with features that have geometries (or, for CSV, longitude/latitude or WKT columns).");
        }

        var sha256 = Convert.ToHexStringLower(_sha.Hash!);
        return new ConvertedLayer(
            _name,
            _stored.ToArray(),
            new LayerData(sha256, bytes, _written),
            [_bounds.MinX, _bounds.MinY, _bounds.MaxX, _bounds.MaxY],
            _geometryTypes,
            _columns);
    }

    public void Dispose()
    {
        _json.Dispose();
        _hashing.Dispose();
        _gzip.Dispose();
        _stored.Dispose();
        _sha.Dispose();
    }

    /// <summary>The geometry if it is longitude/latitude and valid, or repaired where that keeps its meaning.</summary>
    private Geometry Checked(Geometry geometry, int number)
    {
        foreach (var coordinate in geometry.Coordinates)
        {
            if (!double.IsFinite(coordinate.X) || !double.IsFinite(coordinate.Y) || Math.Abs(coordinate.X) > 180 || Math.Abs(coordinate.Y) > 90)
            {
                throw new ImportException(
                    $"feature {number:N0} of {_name} has the coordinates ({coordinate.X}, {coordinate.Y}), which are not a longitude in -180..180 and a latitude in -90..90.",
                    "Give coordinates as longitude/latitude (WGS84, EPSG:4326), or include the .prj of a Shapefile so the server can reproject it; check that longitude and latitude are not swapped.");
            }
        }

        if (geometry is Point)
        {
            return geometry;
        }

        var validity = new IsValidOp(geometry); // checked once: the reason comes from the same check
        if (validity.IsValid)
        {
            return geometry;
        }

        var reason = validity.ValidationError;
        var fixedGeometry = GeometryFixer.Fix(geometry);
        if (fixedGeometry.IsEmpty || !fixedGeometry.IsValid)
        {
            throw new ImportException(
                $"feature {number:N0} of {_name} has an invalid {geometry.GeometryType} that cannot be repaired safely ({reason?.Message ?? "invalid"}).",
                "Fix that feature's geometry in your GIS (e.g. QGIS: Vector > Geometry Tools > Fix Geometries) or remove it, then import again.");
        }

        _firstRepaired = _repaired++ == 0 ? number : _firstRepaired;
        return fixedGeometry;
    }

    private void WriteProperty(string column, object? value)
    {
        if (_seenColumns.Count < 500 && _seenColumns.Add(column))
        {
            _columns.Add(column);
        }

        switch (value)
        {
            case null or DBNull:
                _json.WriteNull(column);
                break;
            case string text:
                _json.WriteString(column, text);
                break;
            case bool flag:
                _json.WriteBoolean(column, flag);
                break;
            case double number when !double.IsFinite(number):
            case float single when !float.IsFinite(single):
                _json.WriteNull(column);
                break;
            case decimal number:
                _json.WriteNumber(column, number);
                break;
            case ulong number:
                _json.WriteNumber(column, number);
                break;
            case int or long or short or byte or sbyte or uint or ushort:
                _json.WriteNumber(column, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float:
                _json.WriteNumber(column, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case JsonElement json:
                _json.WritePropertyName(column);
                json.WriteTo(_json);
                break;
            case DateTime date:
                _json.WriteString(column, ImportValues.Iso(date));
                break;
            case DateTimeOffset date:
                _json.WriteString(column, date.ToString("O", CultureInfo.InvariantCulture));
                break;
            case IFormattable formattable:
                _json.WriteString(column, formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            default:
                _json.WriteString(column, value.ToString());
                break;
        }
    }
}
