using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

public sealed record SetLayerLayout(string LayerId, string Property, JsonElement Value, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "set_layer_layout";

    public override string Describe() => $"layer '{LayerId}' layout {Property}";

    internal override MapState ApplyTo(MapState state) => LayerEdits.With(state, LayerId, layer => layer with
    {
        Layout = LayerEdits.WithProperty(layer, layer.Layout, StyleLayerId, Property, Value, "layout"),
    });
}
