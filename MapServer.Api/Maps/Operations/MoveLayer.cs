namespace MapServer.Api.Maps.Operations;

/// <summary>Moves a layer to the top, the bottom, or just above/below another layer.</summary>
public sealed record MoveLayer(string LayerId, LayerPosition Position, string? RelativeTo = null) : MapOperation
{
    public override string Name => "set_layer_order";

    public override string Describe() => $"moved layer '{LayerId}' {Position.ToString().ToLowerInvariant()}{(RelativeTo is null ? "" : $" '{RelativeTo}'")}";

    internal override MapState ApplyTo(MapState state)
    {
        var layerId = LayerEdits.Existing(state, LayerId).Id;
        var order = state.LayerOrder.Where(id => id != layerId).ToList();
        switch (Position)
        {
            case LayerPosition.Top:
                order.Add(layerId);
                break;
            case LayerPosition.Bottom:
                order.Insert(0, layerId);
                break;
            default:
                if (RelativeTo is null || RelativeTo == layerId || !state.Layers.ContainsKey(RelativeTo))
                {
                    throw new MapOperationException(
                        $"relative_to must name another existing layer when position is {Position.ToString().ToLowerInvariant()}; layers: {string.Join(", ", state.LayerOrder)}.");
                }

                var index = order.IndexOf(RelativeTo);
                order.Insert(Position == LayerPosition.Above ? index + 1 : index, layerId);
                break;
        }

        return state with { LayerOrder = order };
    }
}
