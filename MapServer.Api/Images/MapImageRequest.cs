namespace MapServer.Api.Images;

/// <summary>
/// What get_map_image draws: a size in CSS pixels and where to look: a camera (center, zoom), a box
/// [west, south, east, north], or neither (the map's own view). Also the cache key with the session's version.
/// </summary>
public sealed record MapImageRequest(int Width, int Height, double[]? Center, double? Zoom, double[]? Bbox)
{
    public const int MinSize = 64;
    public const int MaxSize = 1600;

    /// <summary>Why it cannot be drawn, or null.</summary>
    public string? Problem() =>
        Width is < MinSize or > MaxSize || Height is < MinSize or > MaxSize
            ? $"width and height must be between {MinSize} and {MaxSize} pixels (got {Width} x {Height})."
        : Bbox is not null && (Bbox.Length != 4 || !Bbox.All(double.IsFinite) || Bbox[1] < -90 || Bbox[3] > 90 || Bbox[1] >= Bbox[3])
            ? "bbox must be [west, south, east, north] in degrees, south below north."
        : Center is not null && (Center.Length != 2 || !Center.All(double.IsFinite) || Center[1] is < -90 or > 90)
            ? "center must be [longitude, latitude]."
        : Zoom is { } zoom && (!double.IsFinite(zoom) || zoom is < 0 or > 24) ? "zoom must be between 0 and 24."
        : Bbox is not null && (Center is not null || Zoom is not null) ? "give either bbox or center/zoom, not both."
        : null;

    /// <summary>The cache key of this image of <paramref name="sessionId"/> at <paramref name="version"/>.</summary>
    public string Key(string sessionId, long version) =>
        string.Join('|', sessionId, version, Width, Height, Numbers(Center), Zoom?.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Numbers(Bbox));

    private static string Numbers(double[]? values) =>
        values is null ? "" : string.Join(',', values.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
}
