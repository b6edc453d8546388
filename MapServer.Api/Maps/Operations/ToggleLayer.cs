namespace MapServer.Api.Maps.Operations;

public sealed record ToggleLayer(string LayerId, LayerVisibility Visibility) : MapOperation
{
    public override string Name => "toggle_layer";

    public override string Describe() => $"{Visibility.ToString().ToLowerInvariant()} layer '{LayerId}'";

    internal override MapState ApplyTo(MapState state) => LayerEdits.With(state, LayerId, layer => layer with
    {
        Visible = Visibility switch
        {
            LayerVisibility.Show => true,
            LayerVisibility.Hide => false,
            _ => !layer.Visible,
        },
    });
}
