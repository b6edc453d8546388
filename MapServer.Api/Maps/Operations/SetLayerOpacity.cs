namespace MapServer.Api.Maps.Operations;

public sealed record SetLayerOpacity(string LayerId, double Opacity) : MapOperation
{
    public override string Name => "set_layer_opacity";

    public override string Describe() => $"layer '{LayerId}' opacity {Opacity}";

    internal override MapState ApplyTo(MapState state) => LayerEdits.With(state, LayerId, layer => layer with { Opacity = MapValidation.Opacity(Opacity) });
}
