namespace MapServer.Api.Maps.Operations;

/// <summary>Frames a bounding box [west, south, east, north] with padding in pixels.</summary>
public sealed record FitBounds(double[] Bbox, int Padding = 40) : MapOperation
{
    /// <summary>Nominal viewport used to turn a bounding box into a zoom; viewers refit to their own size.</summary>
    private const double NominalWidth = 1024, NominalHeight = 768;

    public override string Name => "fit_bounds";

    public override string Describe() => $"fit bounds [{string.Join(", ", Bbox)}]";

    internal override MapState ApplyTo(MapState state)
    {
        var (west, south, east, north) = MapValidation.Bbox(Bbox) switch { var b => (b[0], b[1], b[2], b[3]) };
        var padding = MapValidation.InRange(Padding, 0, 300, "padding", "pixels of margin around the box");
        var lonSpan = east >= west ? east - west : east + 360 - west;
        var (top, bottom) = (MercatorY(north), MercatorY(south));
        var zoomX = Math.Log2((NominalWidth - 2 * padding) / 512 * 360 / Math.Max(lonSpan, 1e-9));
        var zoomY = Math.Log2((NominalHeight - 2 * padding) / 512 / Math.Max(Math.Abs(top - bottom), 1e-12));
        var zoom = Math.Clamp(Math.Min(zoomX, zoomY), 0, 22);
        var centerLon = west + lonSpan / 2;
        return state with
        {
            // The middle of the box on the Mercator map (not the mean latitude), as MapLibre's fitBounds centres it.
            Center = [centerLon > 180 ? centerLon - 360 : centerLon, Math.Round(Latitude((top + bottom) / 2), 6)],
            Zoom = Math.Round(zoom, 2),
            Bounds = new FittedBounds([west, south, east, north], (int)padding),
        };
    }

    /// <summary>The latitude at Web Mercator y in [0, 1].</summary>
    private static double Latitude(double mercatorY) => Math.Atan(Math.Sinh(Math.PI * (1 - 2 * mercatorY))) * 180 / Math.PI;

    /// <summary>Web Mercator y in [0, 1] for a latitude.</summary>
    private static double MercatorY(double latitude)
    {
        var sin = Math.Sin(Math.Clamp(latitude, -85.05, 85.05) * Math.PI / 180);
        return 0.5 - Math.Log((1 + sin) / (1 - sin)) / (4 * Math.PI);
    }
}
