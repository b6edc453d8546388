using System.Globalization;

namespace MapServer.Api.Importing;

/// <summary>
/// Types text cells as a person means them: numbers as numbers (but not codes with leading zeros such as ZIP codes),
/// true/false as booleans, ISO-like dates and times as ISO 8601 text, everything else as the text it is. A column
/// takes one kind for all its cells (<see cref="Widen"/>), so a column of ZIP codes stays text throughout.
/// </summary>
public static class ImportValues
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy/MM/dd",
    ];

    /// <summary>A single value typed on its own (KML data, where there is no column to look at).</summary>
    public static object? Typed(ReadOnlySpan<char> cell) => Typed(cell, KindOf(cell));

    /// <summary>A cell typed as its column's kind.</summary>
    public static object? Typed(ReadOnlySpan<char> cell, CellKind column)
    {
        var text = cell.Trim();
        if (text.IsEmpty)
        {
            return null;
        }

        return column switch
        {
            CellKind.Number => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
            CellKind.Boolean => text.Equals("true", StringComparison.OrdinalIgnoreCase),
            CellKind.Date => Iso(ParseDate(text)!.Value),
            _ => text.ToString(),
        };
    }

    public static CellKind KindOf(ReadOnlySpan<char> cell)
    {
        var text = cell.Trim();
        if (text.IsEmpty)
        {
            return CellKind.Empty;
        }

        if (LooksNumeric(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return CellKind.Number;
        }

        if (text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return CellKind.Boolean;
        }

        return ParseDate(text) is null ? CellKind.Text : CellKind.Date;
    }

    /// <summary>The kind of a column that so far was <paramref name="column"/> and now has a cell of <paramref name="cell"/>.</summary>
    public static CellKind Widen(CellKind column, CellKind cell) =>
        cell == CellKind.Empty || cell == column ? column : column == CellKind.Empty ? cell : CellKind.Text;

    /// <summary>A date as yyyy-MM-dd when it has no time of day, else ISO 8601 in UTC.</summary>
    public static string Iso(DateTime date) => date.TimeOfDay == TimeSpan.Zero
        ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : date.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);

    private static DateTime? ParseDate(ReadOnlySpan<char> text) =>
        text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] is '-' or '/'
        && DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;

    /// <summary>Digits with an optional sign, point and exponent; a leading zero before more digits (a code, not a number) is text.</summary>
    private static bool LooksNumeric(ReadOnlySpan<char> text)
    {
        var digits = text[0] is '-' or '+' ? text[1..] : text;
        if (digits.IsEmpty || !(char.IsAsciiDigit(digits[0]) || digits[0] == '.'))
        {
            return false;
        }

        return !(digits.Length > 1 && digits[0] == '0' && char.IsAsciiDigit(digits[1]));
    }
}
