using System.ComponentModel;
using MapServer.Api.Maps;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

[McpServerToolType]
public sealed class SessionTools(IMapSessionStore store, MapSessionGateway sessions, IOptions<MapServerOptions> options, IHttpContextAccessor http)
{
    [McpServerTool(Name = "create_map_session", Title = "Create a map session", Destructive = false, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Creates a new, empty live map and returns its session_id and the viewer_url for the user to open in a browser. Call this first unless the user gave you a session id; pass the session_id to every other map tool.")]
    public async Task<CreatedMapSession> CreateMapSession(CancellationToken cancellationToken)
    {
        var id = await store.CreateAsync(cancellationToken);
        return new CreatedMapSession(id, ViewerUrl(id), $"Open {ViewerUrl(id)} to watch the map; use session_id '{id}' with the map tools.");
    }

    [McpServerTool(Name = "get_map_state", Title = "Get the map state", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the full state of a map session: version, view (center [lon, lat], zoom, bearing, pitch), basemap, layers with their sources, style layers, visibility, filters and paint, layer order, and annotations.")]
    public async Task<MapState> GetMapState(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Leave out inline GeoJSON data of sources (replaced by a feature count) to keep the answer small. Default true.")] bool omit_geojson = true,
        CancellationToken cancellationToken = default)
    {
        var state = await sessions.GetAsync(session_id, cancellationToken);
        return omit_geojson ? MapStateViews.WithoutInlineGeoJson(state) : state;
    }

    private string ViewerUrl(string sessionId)
    {
        var configured = options.Value.PublicBaseUrl;
        var request = http.HttpContext?.Request;
        var baseUrl = !string.IsNullOrWhiteSpace(configured) ? configured : request is null ? "http://localhost:5080" : $"{request.Scheme}://{request.Host}";
        return $"{baseUrl.TrimEnd('/')}/map/{sessionId}";
    }
}

public sealed record CreatedMapSession(string SessionId, string ViewerUrl, string Instructions);
