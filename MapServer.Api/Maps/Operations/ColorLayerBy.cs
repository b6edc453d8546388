using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

/// <summary>
/// Colours a layer's style layers (or one) by a property: <see cref="Color"/> is the data-driven expression computed from
/// its data, set as each style layer's colour (fill-color, line-color, circle-color, fill-extrusion-color, text-color).
/// </summary>
public sealed record ColorLayerBy(string LayerId, string Property, JsonElement Color, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "style_layer_by_property";

    public override string Describe() => $"layer '{LayerId}' coloured by {Property}";

    internal override MapState ApplyTo(MapState state) => LayerEdits.With(state, LayerId, layer =>
    {
        var targets = LayerEdits.Targets(layer, StyleLayerId)
            .Select(id => (Id: id, Property: ColorProperty(LayerEdits.StyleLayerType(layer, id))))
            .Where(t => t.Property is not null)
            .ToList();
        if (targets.Count == 0)
        {
            throw new MapOperationException($"layer '{LayerId}' has no style layer drawn in a colour (fill, line, circle, fill-extrusion or symbol) to colour by '{Property}'.");
        }

        var paint = layer.Paint;
        foreach (var (id, property) in targets)
        {
            paint = LayerEdits.WithProperty(layer with { Paint = paint }, paint, id, property!, Color, "paint");
        }

        return layer with { Paint = paint };
    });

    /// <summary>The paint property that colours a style layer of this type, if one does.</summary>
    private static string? ColorProperty(string type) => type switch
    {
        "fill" or "line" or "circle" or "fill-extrusion" => $"{type}-color",
        "symbol" => "text-color",
        _ => null,
    };
}
