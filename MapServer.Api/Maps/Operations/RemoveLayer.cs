namespace MapServer.Api.Maps.Operations;

public sealed record RemoveLayer(string LayerId) : MapOperation
{
    public override string Name => "remove_layer";

    public override string Describe() => $"removed layer '{LayerId}'";

    internal override MapState ApplyTo(MapState state) => LayerEdits.Without(state, LayerEdits.Existing(state, LayerId).Id);
}
