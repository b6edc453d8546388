using System.ComponentModel;
using MapServer.Api.Sessions;
using MapServer.Api.Viewports;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

[McpServerToolType]
public sealed class ViewportTools(MapSessionGateway sessions, IViewportStore viewports, TimeProvider clock)
{
    [McpServerTool(Name = "get_viewport", Title = "See what the user is looking at", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns what the user currently sees in their viewer: bounds [west, south, east, north], zoom, center [lon, lat], and the map feature they last clicked (if any). The user may have panned away from the view you set. When no viewer has reported yet, says so: ask the user to open the viewer URL.")]
    public async Task<ViewportAnswer> GetViewport(
        [Description(ToolHelp.SessionId)] string session_id,
        CancellationToken cancellationToken = default)
    {
        await sessions.GetAsync(session_id, cancellationToken); // unknown or malformed ids become tool errors
        var stored = await viewports.GetAsync(session_id, cancellationToken);
        if (stored is null)
        {
            return new ViewportAnswer(session_id, false, "No viewer has reported a viewport for this session yet: the user has not opened the map (ask them to open the viewer URL), or it is still loading.");
        }

        var age = clock.GetUtcNow() - stored.ReportedAt;
        var viewport = stored.Viewport;
        return new ViewportAnswer(
            session_id,
            true,
            $"The user sees zoom {viewport.Zoom:0.#} around [{viewport.Center[0]:0.####}, {viewport.Center[1]:0.####}], reported {Math.Max(0, age.TotalSeconds):0} s ago.",
            viewport.Bounds,
            viewport.Zoom,
            viewport.Center,
            viewport.ClickedFeature,
            stored.ReportedAt);
    }
}
