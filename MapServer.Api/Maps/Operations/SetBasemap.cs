namespace MapServer.Api.Maps.Operations;

/// <summary>Shows another basemap under the layers.</summary>
public sealed record SetBasemap(string Basemap) : MapOperation
{
    public override string Name => "set_basemap";

    public override string Describe() => $"basemap {Basemap}";

    internal override MapState ApplyTo(MapState state) => state with { Basemap = MapValidation.Basemap(Basemap) };
}
