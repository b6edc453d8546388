using System.Globalization;
using System.Text.Json;

namespace MapServer.Api.Places;

/// <summary>Tolerant readers for geocoders' JSON: a missing member, or one of another type than expected, reads as nothing.</summary>
internal static class GeocoderJson
{
    /// <summary>The member <paramref name="name"/> of an object, else an undefined element.</summary>
    public static JsonElement Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>A non-blank string member, trimmed.</summary>
    public static string? Text(JsonElement element, string name) =>
        Member(element, name) is { ValueKind: JsonValueKind.String } value && value.GetString() is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;

    /// <summary>A finite number, written as a number or as a string (Nominatim writes coordinates as strings).</summary>
    public static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => number,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => number,
        _ => null,
    };

    /// <summary>A whole count (a population) as a number or a string such as "8416535" or "8,416,535"; 0 when absent or unreadable.</summary>
    public static long Count(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out var count) && count > 0 => count,
        JsonValueKind.String when long.TryParse(value.GetString()?.Trim(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var count) && count > 0 => count,
        _ => 0,
    };

    public static bool IsPosition(double longitude, double latitude) => longitude is >= -180 and <= 180 && latitude is >= -90 and <= 90;

    /// <summary>[west, south, east, north] when all four are given and make a box (west may exceed east across the antimeridian), else null.</summary>
    public static double[]? Box(double? west, double? south, double? east, double? north) =>
        west is { } w && south is { } s && east is { } e && north is { } n && IsPosition(w, s) && IsPosition(e, n) && s <= n ? [w, s, e, n] : null;

    /// <summary>The non-blank parts, trimmed and joined by <paramref name="separator"/>; null when none.</summary>
    public static string? Join(string separator, params string?[] parts)
    {
        var kept = parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        return kept.Count == 0 ? null : string.Join(separator, kept);
    }
}
