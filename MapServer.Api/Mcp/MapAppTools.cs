using System.ComponentModel;
using System.Text.Json;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using MapServer.Api.Viewports;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>The tools of the map inside a chat (MCP Apps): show_map, the one tool with a UI, and the app's own viewport reports.</summary>
[McpServerToolType]
public sealed class MapAppTools(MapSessionGateway sessions, ViewLinks viewLinks, PublicLinks links, ViewportReporting viewports)
{
    [McpServerTool(Name = "show_map", Title = "Show the live map in the chat", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [McpMeta("ui", JsonValue = $$"""{"resourceUri":"{{MapApp.ResourceUri}}"}""")]
    [McpMeta("ui/resourceUri", MapApp.ResourceUri)] // the key hosts read before the extension settled on _meta.ui
    [Description("Shows the session's live map inside the chat, where the host can (MCP Apps): the same map every viewer sees, updating as you change it. Call it once after create_map_session (or when the user asks to see the map); later changes appear in it without calling again. Also returns the viewer_url (read-only, safe to share) for hosts that cannot show it.")]
    public async Task<ShownMap> ShowMap(
        [Description(ToolHelp.SessionId)] string session_id,
        CancellationToken cancellationToken = default)
    {
        var state = await sessions.GetAsync(session_id, cancellationToken); // unknown or malformed ids become tool errors
        var viewerUrl = links.Viewer(await viewLinks.TokenForAsync(session_id, cancellationToken));
        var layers = state.Layers.Count;
        return new ShownMap(
            viewerUrl,
            state.Version,
            $"The live map (version {state.Version}, {layers} layer(s)) is shown in the chat where the host supports MCP Apps; anyone can also watch it at {viewerUrl}.");
    }

    [McpServerTool(Name = "report_viewport", Title = "Report the viewport of the map in the chat", ReadOnly = false, Idempotent = true, Destructive = false, OpenWorld = false)]
    [McpMeta("ui", JsonValue = """{"visibility":["app"]}""")]
    [Description("Called by the map shown in the chat (not by agents): stores what it shows, for get_viewport.")]
    public async Task<string> ReportViewport(
        [Description("The session id, or the view token of its viewer link (the link is the permission, as for the viewer).")] string session_id,
        [Description("[west, south, east, north] in degrees.")] double[] bounds,
        [Description("Zoom, 0 to 24.")] double zoom,
        [Description("[longitude, latitude].")] double[] center,
        [Description("The map feature last clicked, if any.")] JsonElement? clicked_feature = null,
        CancellationToken cancellationToken = default)
    {
        if (!ViewLinks.IsToken(session_id))
        {
            await sessions.GetAsync(session_id, cancellationToken); // a session id: only its owner's (another's is unknown)
        }

        var report = new ViewportReport(bounds, zoom, center, clicked_feature);
        if (report.Problem() is { } problem)
        {
            throw new McpException($"Invalid viewport: {problem} Send bounds [w, s, e, n], zoom and center [lon, lat].");
        }

        return await viewports.StoreAsync(session_id, report, cancellationToken)
            ? "Stored."
            : throw new McpException($"No map session '{session_id}': report the session the map shows (its id or view token).");
    }
}
