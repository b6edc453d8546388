using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

/// <summary>Sets (or, with a null filter, clears) the filter of one style layer; null style layer = every style layer.</summary>
public sealed record FilterLayer(string LayerId, JsonElement? Filter, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "filter_layer";

    public override string Describe() => $"filtered layer '{LayerId}'";

    internal override MapState ApplyTo(MapState state) => LayerEdits.With(state, LayerId, layer =>
    {
        var filters = new Dictionary<string, JsonElement>(layer.Filters);
        foreach (var target in LayerEdits.Targets(layer, StyleLayerId))
        {
            if (Filter is { } filter && filter.ValueKind != JsonValueKind.Null)
            {
                MapValidation.Filter(filter);
                filters[target] = filter.Clone();
            }
            else
            {
                filters.Remove(target);
            }
        }

        return layer with { Filters = filters };
    });
}
