using System.ComponentModel;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

[McpServerToolType]
public sealed class ViewTools(MapSessionGateway sessions)
{
    [McpServerTool(Name = "set_map_view", Title = "Move the map", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Moves the camera of the user's map. Give any of center, zoom, bearing, pitch; the rest stay as they are. Viewers animate to the new view.")]
    public Task<MapChangeResult> SetMapView(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("[longitude, latitude] in degrees, longitude first: e.g. [2.3522, 48.8566] for Paris.")] double[]? center = null,
        [Description("Zoom level 0-24: 0 whole world, 5 a country, 10 a city, 15 streets, 18 buildings.")] double? zoom = null,
        [Description("Rotation in degrees clockwise from north, -360..360. 0 = north up.")] double? bearing = null,
        [Description("Tilt in degrees, 0 (straight down) to 85.")] double? pitch = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new SetView(center, zoom, bearing, pitch) { IfVersion = if_version }, cancellationToken);
}
