using System.Globalization;

namespace MapServer.Api.Maps.Operations;

/// <summary>Moves the camera; null parts stay as they are. A view set by hand replaces a fitted box.</summary>
public sealed record SetView(double[]? Center = null, double? Zoom = null, double? Bearing = null, double? Pitch = null) : MapOperation
{
    public override string Name => "set_map_view";

    public override string Describe() =>
        $"view: center {(Center is null ? "unchanged" : $"[{Center[0]:0.####}, {Center[1]:0.####}]")}, zoom {Zoom?.ToString("0.##", CultureInfo.InvariantCulture) ?? "unchanged"}";

    internal override MapState ApplyTo(MapState state)
    {
        if (this is { Center: null, Zoom: null, Bearing: null, Pitch: null })
        {
            throw new MapOperationException("set_map_view needs at least one of center, zoom, bearing or pitch.");
        }

        return state with
        {
            Bounds = null,
            Center = Center is null ? state.Center : MapValidation.Center(Center),
            Zoom = Zoom is { } zoom ? MapValidation.Zoom(zoom) : state.Zoom,
            Bearing = Bearing is { } bearing ? MapValidation.Bearing(bearing) : state.Bearing,
            Pitch = Pitch is { } pitch ? MapValidation.Pitch(pitch) : state.Pitch,
        };
    }
}
