using System.ComponentModel;
using System.Text.Json;
using MapServer.Api.Data;
using MapServer.Api.Maps;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>Tools that read a layer's data on the server, so the agent need not: describe_layer.</summary>
[McpServerToolType]
public sealed class LayerDataTools(MapSessionGateway sessions, LayerDataStorage data)
{
    [McpServerTool(Name = "describe_layer", Title = "Describe a layer's data", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Summarises a GeoJSON layer's data without returning it, so you can style or filter data you have not read: the feature count, the
        geometry types, the bbox [west, south, east, north], and for each property its JSON types, how many features have a value (and how
        many lack one), how many distinct values, min/max/mean for numbers and the most frequent values.
        Works for GeoJSON layers whose data is on this server (GeoJSON given inline to add_layer or import_map); tile layers and GeoJSON at
        other URLs are read by the viewers' browsers, not by this server.
        """)]
    public async Task<LayerDescription> DescribeLayer(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("The layer's id, as given to add_layer (see list_layers).")] string layer_id,
        [Description("How many of each property's most frequent values to list, 0..50. Default 10.")] int top_values = 10,
        CancellationToken cancellationToken = default)
    {
        var top = (int)MapValidation.InRange(top_values, 0, 50, "top_values", "how many frequent values to list per property");
        var state = await sessions.GetAsync(session_id, cancellationToken);
        if (!state.Layers.TryGetValue(layer_id, out var layer))
        {
            throw new MapOperationException($"layer '{layer_id}' is not on the map; list_layers shows the layers there are.");
        }

        var source = layer.Source;
        var type = source.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type != "geojson")
        {
            throw new MapOperationException($"layer '{layer_id}' is a {type ?? "typeless"} layer: its data is in tiles the viewers' browsers fetch. describe_layer reads GeoJSON layers.");
        }

        LayerProfile profile;
        if (layer.Data is { } stored)
        {
            var json = await data.ReadAsync(session_id, stored, cancellationToken)
                ?? throw new MapOperationException($"layer '{layer_id}''s data is no longer stored (the session may have expired); add the layer again.");
            using var document = JsonDocument.Parse(json);
            profile = LayerProfile.Of(document.RootElement, top);
        }
        else if (source.TryGetProperty("data", out var inline) && inline.ValueKind == JsonValueKind.Object)
        {
            profile = LayerProfile.Of(inline, top);
        }
        else
        {
            throw new MapOperationException(
                $"layer '{layer_id}''s GeoJSON is at {(source.TryGetProperty("data", out var url) ? url.GetRawText() : "no URL")}, which the viewers' browsers fetch and this server does not. Pass the GeoJSON itself to add_layer to describe it.");
        }

        return new LayerDescription(layer_id, state.Version, profile.Features, profile.GeometryTypes, profile.Bbox, profile.Properties);
    }
}
