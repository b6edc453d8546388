using System.ComponentModel;
using MapServer.Api.Data;
using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

[McpServerToolType]
public sealed class SessionTools(SessionAccess access, ViewLinks viewLinks, MapSessionGateway sessions, LayerDataStorage data, PublicLinks links)
{
    [McpServerTool(Name = "create_map_session", Title = "Create a map session", Destructive = false, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Creates a new, empty live map and returns its session_id (for the map tools) and the viewer_url (a read-only link) for the user to open in a browser. Call this first unless the user gave you a session id; pass the session_id to every other map tool.")]
    public async Task<CreatedMapSession> CreateMapSession(CancellationToken cancellationToken)
    {
        var id = await access.CreateAsync(cancellationToken); // a limit reached is answered by ToolCallGuard

        var viewerUrl = links.Viewer(await viewLinks.TokenForAsync(id, cancellationToken));
        return new CreatedMapSession(
            id,
            viewerUrl,
            $"Give the user {viewerUrl} to watch the map live: a read-only link, safe to share (it cannot be used to change the map). Use session_id '{id}' with the map tools and keep it to yourself.");
    }

    [McpServerTool(Name = "get_map_state", Title = "Get the map state", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the full state of a map session: version, view (center [lon, lat], zoom, bearing, pitch), basemap, layers with their sources, style layers, visibility, filters and paint, layer order, and annotations. A layer's GeoJSON is stored beside the state: its source's data is a URL and `data` gives its size and feature count.")]
    public async Task<MapState> GetMapState(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Leave out layers' GeoJSON (each source's data stays a URL, with its size and feature count) to keep the answer small. Default true; false puts the GeoJSON itself into each source (can be megabytes).")] bool omit_geojson = true,
        CancellationToken cancellationToken = default)
    {
        var state = await sessions.GetAsync(session_id, cancellationToken);
        return omit_geojson
            ? MapStateViews.WithoutInlineGeoJson(state)
            : await data.WithDataAsync(session_id, state, inline: true, links.BaseUrl, cancellationToken);
    }

    [McpServerTool(Name = "get_map_config", Title = "Get the map state (original name)", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("The original mcp-map-server's name for get_map_state (kept for agents written for it): the session's whole map state, layers' GeoJSON left out.")]
    public Task<MapState> GetMapConfig(
        [Description(ToolHelp.SessionId)] string session_id,
        CancellationToken cancellationToken = default) =>
        GetMapState(session_id, omit_geojson: true, cancellationToken);
}
