using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

/// <summary>What the layer operations share: finding a layer (or saying which exist), changing one, and its style layers.</summary>
internal static class LayerEdits
{
    public static (string Id, MapLayer Layer) Existing(MapState state, string layerId) =>
        state.Layers.TryGetValue(layerId, out var layer)
            ? (layerId, layer)
            : throw new MapOperationException(
                state.Layers.Count == 0
                    ? $"layer '{layerId}' does not exist: this map has no layers yet; call add_layer first."
                    : $"layer '{layerId}' does not exist; existing layers: {string.Join(", ", state.LayerOrder)}. Call list_layers to see them.");

    public static MapState With(MapState state, string layerId, Func<MapLayer, MapLayer> change)
    {
        var (id, layer) = Existing(state, layerId);
        return state with { Layers = new(state.Layers) { [id] = change(layer) } };
    }

    public static MapState Without(MapState state, string layerId) => state with
    {
        Layers = Without(state.Layers, layerId),
        LayerOrder = [.. state.LayerOrder.Where(id => id != layerId)],
    };

    public static Dictionary<string, T> Without<T>(Dictionary<string, T> items, string key)
    {
        var copy = new Dictionary<string, T>(items);
        copy.Remove(key);
        return copy;
    }

    public static IEnumerable<string> StyleLayerIds(MapLayer layer) => layer.Layers.Select(l => l.GetProperty("id").GetString()!);

    public static string StyleLayerType(MapLayer layer, string styleLayerId) =>
        layer.Layers.First(l => l.GetProperty("id").GetString() == styleLayerId).GetProperty("type").GetString()!;

    /// <summary>The style layers a change targets: the one named, or (null) all of the layer's.</summary>
    public static List<string> Targets(MapLayer layer, string? styleLayerId)
    {
        var ids = StyleLayerIds(layer).ToList();
        if (styleLayerId is null)
        {
            return ids;
        }

        return ids.Contains(styleLayerId)
            ? [styleLayerId]
            : throw new MapOperationException($"style layer '{styleLayerId}' is not part of this layer; its style layers are: {string.Join(", ", ids)}.");
    }

    /// <summary>The paint or layout overrides with <paramref name="property"/> set on the targeted style layers it applies to.</summary>
    public static Dictionary<string, Dictionary<string, JsonElement>> WithProperty(
        MapLayer layer, Dictionary<string, Dictionary<string, JsonElement>> overrides, string? styleLayerId, string property, JsonElement value, string kind)
    {
        MapValidation.PropertyName(property, "property");
        var targets = Targets(layer, styleLayerId)
            .Where(id => property == "visibility" || AppliesTo(property, StyleLayerType(layer, id)))
            .ToList();
        if (targets.Count == 0)
        {
            var types = string.Join(", ", layer.Layers.Select(l => l.GetProperty("type").GetString()).Distinct());
            throw new MapOperationException(
                $"{kind} property '{property}' does not apply to this layer's style layers (types: {types}); use a property that starts with one of those types, e.g. '{layer.Layers[0].GetProperty("type").GetString()}-color'.");
        }

        if (value.ValueKind is JsonValueKind.Undefined)
        {
            throw new MapOperationException($"value is required: a literal such as \"#ff0000\" or 2, or a MapLibre expression array.");
        }

        var result = new Dictionary<string, Dictionary<string, JsonElement>>(overrides);
        foreach (var target in targets)
        {
            result[target] = new Dictionary<string, JsonElement>(overrides.GetValueOrDefault(target) ?? []) { [property] = value.Clone() };
        }

        return result;
    }

    /// <summary>MapLibre paint and layout names start with the style layer type (symbol: icon-/text-/symbol-).</summary>
    private static bool AppliesTo(string property, string type) => type switch
    {
        "symbol" => property.StartsWith("icon-", StringComparison.Ordinal) || property.StartsWith("text-", StringComparison.Ordinal) || property.StartsWith("symbol-", StringComparison.Ordinal),
        "fill" => property.StartsWith("fill-", StringComparison.Ordinal) && !property.StartsWith("fill-extrusion-", StringComparison.Ordinal),
        _ => property.StartsWith(type + "-", StringComparison.Ordinal),
    };
}
