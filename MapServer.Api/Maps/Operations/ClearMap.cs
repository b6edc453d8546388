namespace MapServer.Api.Maps.Operations;

/// <summary>Removes every layer and annotation; the view and basemap stay.</summary>
public sealed record ClearMap : MapOperation
{
    public override string Name => "clear_map";

    public override string Describe() => "cleared the map";

    internal override MapState ApplyTo(MapState state) => state with { Layers = [], LayerOrder = [], Annotations = [] };
}
