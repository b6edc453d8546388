namespace MapServer.ServiceDefaults;

/// <summary>
/// The tile hosts of the viewer's raster basemaps (RASTER_BASEMAPS in map-style.js): the viewer's Content-Security-Policy
/// allows them, and so does the policy the map inside a chat asks its host for.
/// </summary>
public static class RasterBasemaps
{
    public static readonly IReadOnlyList<string> Hosts =
        ["tile.openstreetmap.org", "a.tile.opentopomap.org", "b.tile.opentopomap.org", "c.tile.opentopomap.org", "server.arcgisonline.com"];
}
