namespace MapServer.Renderer.Rendering;

/// <summary>Where the image looks: center [lon, lat], zoom, bearing and pitch.</summary>
public sealed record MapCamera(double[] Center, double Zoom, double Bearing = 0, double Pitch = 0)
{
    public string? Problem() =>
        Center is not { Length: 2 } || !Center.All(double.IsFinite) || Center[1] is < -90 or > 90 ? "camera.center must be [longitude, latitude]."
        : !double.IsFinite(Zoom) || Zoom is < 0 or > 24 ? "camera.zoom must be between 0 and 24."
        : !double.IsFinite(Bearing) || !double.IsFinite(Pitch) || Pitch is < 0 or > 85 ? "camera.bearing must be a number and pitch between 0 and 85."
        : null;
}
