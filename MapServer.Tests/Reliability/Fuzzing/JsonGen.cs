using System.Globalization;
using System.Text;
using CsCheck;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// Generators of JSON text: ordinary values of each schema type and the nasty ones (extreme numbers, huge and
/// deeply nested values, lone surrogates, bytes that are not UTF-8, invalid GeoJSON). Values are JSON text, not
/// nodes, so they can hold what a serializer would refuse to write.
/// </summary>
public static class JsonGen
{
    private static readonly string[] BadUtf8 = ["\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xC3", "\x80", "\xF4\x90\x80\x80", "\xFE\xFE\xFF"];

    /// <summary>
    /// Stands for one invalid UTF-8 sequence inside JSON text; <see cref="Encode"/> writes the bytes. Private-use
    /// characters, so no generated text contains them by chance.
    /// </summary>
    private static string BadUtf8Marker(int index) => $"\uE000{(char)('0' + index)}\uE001";

    /// <summary>The bytes of JSON text, with every bad-UTF-8 marker replaced by its invalid byte sequence.</summary>
    public static byte[] Encode(string json)
    {
        if (!json.Contains('\uE000', StringComparison.Ordinal))
        {
            return Encoding.UTF8.GetBytes(json);
        }

        var bytes = new List<byte>(json.Length + 16);
        var start = 0;
        for (var at = json.IndexOf('\uE000', StringComparison.Ordinal); at >= 0; at = json.IndexOf('\uE000', start))
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(json[start..at]));
            bytes.AddRange(BadUtf8[json[at + 1] - '0'].Select(c => (byte)c));
            start = at + 3;
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(json[start..]));
        return [.. bytes];
    }

    /// <summary>A JSON string literal; quotes, backslashes, control characters and every surrogate (paired or lone) escaped.</summary>
    public static string Quote(string text)
    {
        var json = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => json.Append("\\\""),
                '\\' => json.Append("\\\\"),
                _ when c < ' ' || char.IsSurrogate(c) => json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => json.Append(c),
            };
        }

        return json.Append('"').ToString();
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // ---- string contents (unquoted) ----

    /// <summary>Words the tools know (basemaps, positions, paint properties, colours, visibilities) and near misses.</summary>
    public static readonly Gen<string> Word = Gen.OneOf(
        "a", "b", "roads", "parks", "m1", "line-1", "streets", "dark", "light", "satellite", "none", "top", "bottom", "above", "below",
        "show", "hide", "toggle", "fill-color", "fill-opacity", "line-width", "line-color", "circle-radius", "circle-color", "line-cap",
        "visibility", "text-field", "#e11d48", "#fff", "red", "rgb(1,2,3)", "hsl(0 100% 50%)", "transparent", "url(javascript:alert(1))",
        "Streets", "TOP", "fill", "line", "circle", "symbol", "raster", "heatmap", "geojson", "vector", "background");

    private static readonly Gen<string> Injection = Gen.OneOf(
        "<script>alert(1)</script>", "'; DROP TABLE maps; --", "../../../../etc/passwd", "%00", "\0", "${jndi:ldap://x/a}", "{{7*7}}",
        "map_state:*", "*", "\r\nFLUSHALL\r\n", "__proto__", "constructor", "null", "undefined", "NaN", "-0", "\u202Egnp.exe", "\uFEFF",
        "javascript:alert(1)", "file:///etc/passwd", "http://169.254.169.254/latest/meta-data/", "pmtiles://https://example.com/x.pmtiles",
        "https://example.com/tiles/{z}/{x}/{y}.png", "data:application/json,{}", "/sessions/AAAAAAAAAAAAAAAAAAAAAA/data/" + new string('a', 64));

    private static readonly Gen<string> Whitespace = Gen.OneOf("", " ", "\t", "\n", "   ", "\u00A0", "\u2028");

    /// <summary>Text with lone (unpaired) surrogates, sent as <c>\ud800</c>-style escapes.</summary>
    public static readonly Gen<string> LoneSurrogates =
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 8], Gen.Char['\uD800', '\uDFFF'], Gen.Bool,
            (text, surrogate, atEnd) => atEnd ? text + surrogate : surrogate + text);

    /// <summary>Text holding a byte sequence that is not UTF-8 (written by <see cref="Encode"/>).</summary>
    public static readonly Gen<string> InvalidUtf8 =
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 8], Gen.Int[0, BadUtf8.Length - 1], (text, bad) => text + BadUtf8Marker(bad));

    /// <summary>64 KB to 1 MB of text.</summary>
    public static readonly Gen<string> Huge = Gen.Select(Gen.Int[64 * 1024, 1024 * 1024], Gen.Char.AlphaNumeric, (length, c) => new string(c, length));

    public static readonly Gen<string> Text = Gen.Frequency(
        (30, Word),
        (20, Gen.String[Gen.Char.AlphaNumeric, 1, 16]),
        (15, Gen.String[0, 40]),
        (10, Injection),
        (8, Whitespace),
        (5, LoneSurrogates),
        (4, Gen.String[Gen.Char.AlphaNumeric, 129, 5_000]),
        (1, Huge));

    // ---- ids ----

    private const string IdChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /// <summary>22 characters of an id's alphabet: well-formed, names no session.</summary>
    public static readonly Gen<string> UnknownSessionId = Gen.String[Gen.Char[IdChars], 22, 22];

    /// <summary>Almost a session id: one character outside the alphabet, or one too few or many.</summary>
    public static readonly Gen<string> SessionIdLookalike = Gen.Frequency(
        (3, Gen.Select(UnknownSessionId, Gen.Int[0, 21], Gen.OneOf('+', '/', '=', '.', ' ', 'é', '\0', '%', '\u0430'),
            (id, at, c) => string.Concat(id.AsSpan(0, at), c.ToString(), id.AsSpan(at + 1)))),
        (1, Gen.String[Gen.Char[IdChars], 21, 21]),
        (1, Gen.String[Gen.Char[IdChars], 23, 23]),
        (1, UnknownSessionId.Select(id => "v" + id)),
        (1, UnknownSessionId.Select(id => id.ToUpperInvariant())));

    // ---- JSON values ----

    public static readonly Gen<string> StringValue = Text.Select(Quote);

    public static readonly Gen<string> Bool = Gen.OneOf("true", "false");

    /// <summary>JSON numbers at and past the edges of a double, a long and an int.</summary>
    public static readonly Gen<string> EdgeNumber = Gen.OneOf(
        "1e308", "-1e308", "1e309", "-1e309", "1e-400", "-0", "5e-324", "1.7976931348623157e308", "123456789012345678901234567890",
        "-9223372036854775809", "9223372036854775808", "2147483648", "-2147483649", "0.1e1", "1E2", "1.5", "-1", "0", "1e1000000");

    /// <summary>Edge numbers, and numbers written as strings ("NaN", "Infinity", "12").</summary>
    public static readonly Gen<string> ExtremeNumber = Gen.Frequency(
        (3, EdgeNumber),
        (1, Gen.OneOf("\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "\"1e999\"", "\"12\"", "\"0x10\"", "\" 1 \"")));

    public static readonly Gen<string> Number = Gen.Frequency(
        (40, Gen.Double[-200, 200].Select(Format)),
        (20, Gen.Int[-10, 30].Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (10, Gen.Double.Select(d => double.IsFinite(d) ? Format(d) : "0")),
        (10, EdgeNumber));

    public static readonly Gen<string> IntegerValue = Gen.Frequency(
        (50, Gen.Int[-5, 300].Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (20, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (10, EdgeNumber));

    private static readonly Gen<string> Scalar = Gen.Frequency((3, StringValue), (3, Number), (1, Bool), (1, Gen.Const("null")));

    /// <summary>Any JSON value, at most <paramref name="depth"/> arrays or objects deep.</summary>
    public static Gen<string> Any(int depth = 3) => depth == 0
        ? Scalar
        : Gen.Frequency((4, Scalar), (1, ArrayOf(Any(depth - 1), 0, 5)), (1, ObjectOf(Text, Any(depth - 1), 0, 5)));

    /// <summary>A value nested far deeper than parsers allow by default (64), or just below that.</summary>
    public static readonly Gen<string> DeeplyNested = Gen.Select(Gen.OneOf(32, 63, 64, 65, 200, 1_000, 20_000), Gen.Bool, (depth, arrays) => arrays
        ? string.Concat(Enumerable.Repeat("[", depth)) + "1" + string.Concat(Enumerable.Repeat("]", depth))
        : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + string.Concat(Enumerable.Repeat("}", depth)));

    public static Gen<string> ArrayOf(Gen<string> item, int min, int max) => item.Array[min, max].Select(items => "[" + string.Join(",", items) + "]");

    public static Gen<string> ObjectOf(Gen<string> key, Gen<string> value, int min, int max) =>
        Gen.Select(key, value).Array[min, max].Select(members => "{" + string.Join(",", members.DistinctBy(m => m.Item1).Select(m => Quote(m.Item1) + ":" + m.Item2)) + "}");

    /// <summary>An object with these members, each left out when its generator gives null.</summary>
    public static Gen<string> ObjectWith(params (string Name, Gen<string?> Value)[] members) =>
        members.Aggregate(Gen.Const(new List<string>()), (gen, member) => Gen.Select(gen, member.Value, (list, value) =>
            value is null ? list : [.. list, Quote(member.Name) + ":" + value]))
        .Select(list => "{" + string.Join(",", list) + "}");

    // ---- geography ----

    public static readonly Gen<string> Longitude = Gen.Frequency((30, Gen.Double[-180, 180].Select(Format)), (1, EdgeNumber), (1, Gen.Double[-1000, 1000].Select(Format)));

    public static readonly Gen<string> Latitude = Gen.Frequency((30, Gen.Double[-90, 90].Select(Format)), (1, EdgeNumber), (1, Gen.Double[-1000, 1000].Select(Format)));

    public static readonly Gen<string> Position = Gen.Frequency(
        (30, Gen.Select(Longitude, Latitude, (lon, lat) => $"[{lon},{lat}]")),
        (1, ArrayOf(Number, 0, 4)),
        (1, Gen.Const("[\"a\",\"b\"]")),
        (1, Gen.Const("{\"lon\":1,\"lat\":2}")));

    private static readonly Gen<string> Ring = ArrayOf(Position, 0, 8);

    private static readonly Gen<string> GeometryType = Gen.Frequency(
        (6, Gen.OneOf("Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon")),
        (1, Gen.OneOf("GeometryCollection", "point", "Circle", "", "Feature")));

    private static readonly Gen<string> Geometry = Gen.Frequency(
        (4, Gen.Select(Longitude, Latitude, (lon, lat) => $"{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}")),
        (2, Ring.Select(ring => $"{{\"type\":\"LineString\",\"coordinates\":{ring}}}")),
        (2, ArrayOf(Ring, 0, 2).Select(rings => $"{{\"type\":\"Polygon\",\"coordinates\":{rings}}}")),
        (2, Gen.Select(GeometryType, Gen.OneOf(Position, Ring, ArrayOf(Ring, 0, 2), Any(2), DeeplyNested),
            (type, coordinates) => $"{{\"type\":{Quote(type)},\"coordinates\":{coordinates}}}")),
        (1, Gen.Const("{\"type\":\"GeometryCollection\",\"geometries\":[{\"type\":\"Point\",\"coordinates\":[1,2]}]}")),
        (1, Gen.OneOf(Gen.Const("null"), Gen.Const("{}"), Any(2))));

    private static readonly Gen<string> Feature = Gen.Select(Geometry, Gen.Frequency((4, ObjectOf(Word, Scalar, 0, 4)), (1, Any(2))),
        (geometry, properties) => $"{{\"type\":\"Feature\",\"geometry\":{geometry},\"properties\":{properties}}}");

    /// <summary>GeoJSON, valid or not: geometries, features, collections (some of thousands of features), and junk.</summary>
    public static readonly Gen<string> GeoJson = Gen.Frequency(
        (4, Geometry),
        (3, Feature),
        (3, ArrayOf(Feature, 0, 6).Select(features => $"{{\"type\":\"FeatureCollection\",\"features\":{features}}}")),
        (1, Gen.Int[1_000, 20_000].Select(count => $"{{\"type\":\"FeatureCollection\",\"features\":[{string.Join(",", Enumerable.Repeat("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]},\"properties\":{}}", count))}]}}")),
        (1, Gen.OneOf(Gen.Const("{\"type\":\"FeatureCollection\"}"), Gen.Const("{\"type\":\"FeatureCollection\",\"features\":{}}"), Gen.Const("[]"), StringValue, Any(2))));

    /// <summary>A layer source: GeoJSON data inline or as a URL, vector or raster tiles, or junk.</summary>
    public static readonly Gen<string> Source = Gen.Frequency(
        (5, GeoJson.Select(data => $"{{\"type\":\"geojson\",\"data\":{data}}}")),
        (2, Injection.Select(url => $"{{\"type\":\"geojson\",\"data\":{Quote(url)}}}")),
        (2, Gen.Select(Gen.OneOf("vector", "raster", "raster-dem", "image", "video", "geojson", "unknown"), Gen.OneOf(Injection, Text),
            (type, url) => $"{{\"type\":{Quote(type)},\"url\":{Quote(url)}}}")),
        (1, ArrayOf(Injection.Select(Quote), 0, 3).Select(tiles => $"{{\"type\":\"raster\",\"tiles\":{tiles},\"tileSize\":256}}")),
        (1, Any(2)));

    /// <summary>A MapLibre expression (possibly malformed) or a literal style value.</summary>
    public static readonly Gen<string> Expression = Gen.Frequency(
        (3, Gen.Select(Gen.OneOf("==", "!=", ">", "<", "in", "match", "case", "get", "has", "all", "any", "interpolate", "step", "literal", "coalesce", "zoom", "bogus"),
            ArrayOf(Gen.OneOf(Scalar, Gen.Const("[\"get\",\"height\"]"), Gen.Const("[\"zoom\"]")), 0, 5),
            (op, args) => args == "[]" ? $"[{Quote(op)}]" : $"[{Quote(op)},{args[1..]}")),
        (2, Scalar),
        (1, Any(3)));

    /// <summary>A style layer for add_layer's <c>layers</c>.</summary>
    public static readonly Gen<string> StyleLayer = Gen.Frequency(
        (4, ObjectWith(
            ("type", Gen.OneOf("fill", "line", "circle", "symbol", "raster", "heatmap", "fill-extrusion", "background", "hillshade", "custom", "").Select(Quote).Null()),
            ("id", Word.Select(Quote).Null()),
            ("source-layer", Word.Select(Quote).Null()),
            ("filter", Expression.Null()),
            ("paint", ObjectOf(Word, Expression, 0, 3).Null()),
            ("layout", ObjectOf(Word, Expression, 0, 3).Null()),
            ("minzoom", Number.Null()))),
        (1, Any(2)));
}
