using System.Text.Json.Nodes;

namespace MapServer.Api.Maps;

/// <summary>JSON merge patch (RFC 7386): objects merge key by key, null deletes, anything else replaces.</summary>
public static class JsonMergePatch
{
    /// <summary>The patch that turns <paramref name="from"/> into <paramref name="to"/>.</summary>
    public static JsonObject Create(JsonObject from, JsonObject to)
    {
        var patch = new JsonObject();
        foreach (var (key, value) in to)
        {
            if (!from.TryGetPropertyValue(key, out var old))
            {
                patch[key] = value?.DeepClone();
            }
            else if (old is JsonObject oldObject && value is JsonObject newObject)
            {
                var inner = Create(oldObject, newObject);
                if (inner.Count > 0)
                {
                    patch[key] = inner;
                }
            }
            else if (!JsonNode.DeepEquals(old, value))
            {
                patch[key] = value?.DeepClone();
            }
        }

        foreach (var (key, _) in from)
        {
            if (!to.ContainsKey(key))
            {
                patch[key] = null;
            }
        }

        return patch;
    }

    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> in place.</summary>
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject && target[key] is JsonObject targetObject)
            {
                Apply(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
