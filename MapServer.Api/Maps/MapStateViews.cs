using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Maps;

/// <summary>Smaller views of a state for answers that must not flood an agent's context.</summary>
public static class MapStateViews
{
    /// <summary>
    /// Replaces inline GeoJSON source data by a summary such as {"omitted":"FeatureCollection with 1200 features"}.
    /// New layers keep their data beside the state (a URL); this covers sessions stored before that.
    /// </summary>
    public static MapState WithoutInlineGeoJson(MapState state) => state with
    {
        Layers = state.Layers.ToDictionary(l => l.Key, l => l.Value with { Source = WithoutInlineData(l.Value.Source) }),
    };

    private static JsonElement WithoutInlineData(JsonElement source)
    {
        if (!source.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return source;
        }

        var count = data.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array ? features.GetArrayLength() : 1;
        var node = JsonNode.Parse(source.GetRawText())!.AsObject();
        node["data"] = new JsonObject { ["omitted"] = $"{data.GetProperty("type").GetString()} with {count} feature(s); call get_map_state with omit_geojson=false to see it" };
        return JsonSerializer.SerializeToElement(node, MapJsonContext.Default.JsonObject);
    }
}
