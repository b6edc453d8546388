using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

public sealed record SetLayerPaint(string LayerId, string Property, JsonElement Value, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "set_layer_paint";

    public override string Describe() => $"layer '{LayerId}' paint {Property}";

    internal override MapState ApplyTo(MapState state) => LayerEdits.With(state, LayerId, layer => layer with
    {
        Paint = LayerEdits.WithProperty(layer, layer.Paint, StyleLayerId, Property, Value, "paint"),
    });
}
