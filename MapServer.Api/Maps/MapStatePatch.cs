using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace MapServer.Api.Maps;

/// <summary>
/// The merge patches (RFC 7386) between two states, forward (before -> after) and back (after -> before), worked
/// out from what the reducer replaced: the reducer keeps every part it did not touch (the same object), so only
/// replaced layers and annotations are serialized and compared. The cost follows the change, not the map. The
/// patches equal <see cref="JsonMergePatch.Create"/> on the two whole documents (pinned by tests).
/// </summary>
public static class MapStatePatch
{
    public static (JsonObject Forward, JsonObject Back) Between(MapState before, MapState after)
    {
        var patches = (Forward: new JsonObject(), Back: new JsonObject());
        Set(patches, "version", before.Version != after.Version, after.Version, before.Version);
        Set(patches, "center", !before.Center.AsSpan().SequenceEqual(after.Center), Array(after.Center), Array(before.Center));
        Set(patches, "zoom", before.Zoom != after.Zoom, after.Zoom, before.Zoom);
        Set(patches, "bearing", before.Bearing != after.Bearing, after.Bearing, before.Bearing);
        Set(patches, "pitch", before.Pitch != after.Pitch, after.Pitch, before.Pitch);
        Bounds(patches, before.Bounds, after.Bounds);
        Set(patches, "basemap", before.Basemap != after.Basemap, after.Basemap, before.Basemap);
        Entries(patches, "layers", before.Layers, after.Layers, MapJsonContext.Default.MapLayer);
        Set(patches, "layerOrder", !before.LayerOrder.SequenceEqual(after.LayerOrder), Array(after.LayerOrder), Array(before.LayerOrder));
        Entries(patches, "annotations", before.Annotations, after.Annotations, MapJsonContext.Default.MapAnnotation);
        return patches;
    }

    private static void Set((JsonObject Forward, JsonObject Back) patches, string name, bool changed, JsonNode? after, JsonNode? before)
    {
        if (changed)
        {
            patches.Forward[name] = after;
            patches.Back[name] = before;
        }
    }

    /// <summary>The fitted box: set or dropped whole, or (both there) only what differs, as a merge patch of the documents is.</summary>
    private static void Bounds((JsonObject Forward, JsonObject Back) patches, FittedBounds? before, FittedBounds? after)
    {
        if (FittedBounds.Same(before, after))
        {
            return;
        }

        var (from, to) = (Node(before), Node(after));
        var both = from is not null && to is not null;
        Set(patches, "bounds", true, both ? JsonMergePatch.Create(from!, to!) : to, both ? JsonMergePatch.Create(to!, from!) : from);
    }

    private static JsonObject? Node(FittedBounds? bounds) => bounds is null ? null : JsonSerializer.SerializeToNode(bounds, MapJsonContext.Default.FittedBounds)!.AsObject();

    private static JsonArray Array(IEnumerable<double> values) => [.. values.Select(value => (JsonNode?)value)];

    private static JsonArray Array(IEnumerable<string> values) => [.. values.Select(value => (JsonNode?)value)];

    /// <summary>Entries added, removed or replaced in a keyed collection; a replaced entry is diffed on its own.</summary>
    private static void Entries<T>((JsonObject Forward, JsonObject Back) patches, string name, Dictionary<string, T> before, Dictionary<string, T> after, JsonTypeInfo<T> type)
        where T : class
    {
        if (ReferenceEquals(before, after))
        {
            return;
        }

        var forward = new JsonObject();
        var back = new JsonObject();
        foreach (var (key, value) in after)
        {
            if (!before.TryGetValue(key, out var old))
            {
                forward[key] = JsonSerializer.SerializeToNode(value, type);
                back[key] = null;
            }
            else if (!ReferenceEquals(old, value))
            {
                var (oldNode, newNode) = (JsonSerializer.SerializeToNode(old, type)!.AsObject(), JsonSerializer.SerializeToNode(value, type)!.AsObject());
                var changed = JsonMergePatch.Create(oldNode, newNode);
                if (changed.Count > 0)
                {
                    forward[key] = changed;
                    back[key] = JsonMergePatch.Create(newNode, oldNode);
                }
            }
        }

        foreach (var (key, old) in before)
        {
            if (!after.ContainsKey(key))
            {
                forward[key] = null;
                back[key] = JsonSerializer.SerializeToNode(old, type);
            }
        }

        if (forward.Count > 0)
        {
            patches.Forward[name] = forward;
            patches.Back[name] = back;
        }
    }
}
