namespace MapServer.Api.Maps.Operations;

/// <summary>Drops every filter, paint and layout override of a layer.</summary>
public sealed record ResetLayerStyle(string LayerId) : MapOperation
{
    public override string Name => "reset_layer_style";

    public override string Describe() => $"reset style of layer '{LayerId}'";

    internal override MapState ApplyTo(MapState state) => LayerEdits.With(state, LayerId, layer => layer with { Filters = [], Paint = [], Layout = [] });
}
