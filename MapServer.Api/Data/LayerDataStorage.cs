using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Data;

/// <summary>
/// Keeps layer data out of the state document. Before an operation reaches the reducer, each GeoJSON source's
/// inline data (or a data URL of this server, e.g. from an export) is checked, stored once beside the state under
/// its SHA-256 and replaced by its URL; answers that ask for the data get it put back.
/// </summary>
public sealed class LayerDataStorage(ILayerDataStore store, IOptions<MapServerOptions> options)
{
    /// <summary>The operation with the GeoJSON it carries stored and referenced by URL (the operation says which).</summary>
    public Task<MapOperation> OffloadAsync(string sessionId, MapOperation operation, CancellationToken cancellationToken) =>
        operation.WithStoredDataAsync((source, field) => OffloadAsync(sessionId, source, field, cancellationToken));

    /// <summary>
    /// The state with each stored layer's data put back into its source (<paramref name="inline"/>) or its URL made
    /// absolute under <paramref name="baseUrl"/>, for answers that leave this server (exports, full state reads).
    /// </summary>
    public async Task<MapState> WithDataAsync(string sessionId, MapState state, bool inline, string baseUrl, CancellationToken cancellationToken)
    {
        var layers = new Dictionary<string, MapLayer>(state.Layers.Count);
        foreach (var (layerId, layer) in state.Layers)
        {
            JsonNode? data = null;
            if (layer.Data is { } stored)
            {
                var gzip = inline ? await store.GetAsync(sessionId, stored.Sha256, cancellationToken) : null;
                data = gzip is null
                    ? JsonValue.Create($"{baseUrl.TrimEnd('/')}{LayerData.Path(sessionId, stored.Sha256)}")
                    : JsonNode.Parse(Gzip.Decompress(gzip));
            }

            layers[layerId] = data is null ? layer : layer with { Source = WithSourceData(layer.Source, data) };
        }

        return state with { Layers = layers };
    }

    /// <summary>A stored layer's GeoJSON (UTF-8), or null when the session no longer holds it.</summary>
    public async Task<byte[]?> ReadAsync(string sessionId, LayerData stored, CancellationToken cancellationToken) =>
        await store.GetAsync(sessionId, stored.Sha256, cancellationToken) is { } gzip ? Gzip.Decompress(gzip) : null;

    private async Task<StoredSource?> OffloadAsync(string sessionId, JsonElement source, string field, CancellationToken cancellationToken)
    {
        if (source.ValueKind != JsonValueKind.Object
            || !source.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "geojson"
            || !source.TryGetProperty("data", out var data))
        {
            return null; // not GeoJSON data: the reducer checks it as any other source
        }

        LayerData stored;
        byte[] gzip;
        if (data.ValueKind == JsonValueKind.Object)
        {
            // Hashed and compressed straight from the request's bytes: no copy of megabytes of GeoJSON.
            var geoJson = JsonMarshal.GetRawUtf8Value(data);
            CheckSize(geoJson.Length, field);
            GeoJson.Validate(data, $"{field}.data");
            stored = new LayerData(Convert.ToHexStringLower(SHA256.HashData(geoJson)), geoJson.Length, FeatureCount(data));
            gzip = Gzip.Compress(geoJson);
        }
        else if (data.ValueKind == JsonValueKind.String && LayerData.TryParseUrl(data.GetString()!, out var fromSession, out var fromSha))
        {
            // Stored data was checked when it came in, and its key is its hash: copy the stored bytes as they are.
            gzip = await store.GetAsync(fromSession, fromSha, cancellationToken) ?? throw new MapOperationException(
                $"{field}.data points at layer data this server no longer holds ({data.GetString()}); pass the GeoJSON itself (export_map with include_data=true gives it).");
            var geoJson = Gzip.Decompress(gzip);
            CheckSize(geoJson.Length, field);
            using var document = JsonDocument.Parse(geoJson);
            stored = new LayerData(fromSha, geoJson.Length, FeatureCount(document.RootElement));
        }
        else
        {
            return null; // a URL elsewhere: the viewer fetches it
        }

        if (!await store.PutAsync(sessionId, stored.Sha256, gzip, cancellationToken))
        {
            throw new MapSessionNotFoundException(sessionId);
        }

        return new StoredSource(WithSourceData(source, JsonValue.Create(LayerData.Path(sessionId, stored.Sha256))), stored);
    }

    /// <summary>A FeatureCollection's feature count; a single Feature or geometry counts as one.</summary>
    private static int FeatureCount(JsonElement geoJson) =>
        geoJson.TryGetProperty("features", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 1;

    private void CheckSize(int bytes, string field)
    {
        var limit = options.Value.MaxGeoJsonBytes;
        if (bytes > limit)
        {
            throw new MapOperationException(
                $"{field}.data is {bytes:N0} bytes of GeoJSON; one layer may hold at most {limit:N0} (the limit is {limit:N0}, MapServer:MaxGeoJsonBytes). Simplify or split the data, host it at a URL and pass the URL as data, or use vector tiles / PMTiles.");
        }
    }

    /// <summary>A copy of the source spec with its data replaced; the other properties are copied as they are.</summary>
    private static JsonElement WithSourceData(JsonElement source, JsonNode data)
    {
        var copy = new JsonObject();
        foreach (var property in source.EnumerateObject())
        {
            copy[property.Name] = property.NameEquals("data") ? data : JsonSerializer.SerializeToNode(property.Value, MapJsonContext.Default.JsonElement);
        }

        return JsonSerializer.SerializeToElement(copy, MapJsonContext.Default.JsonObject);
    }
}
