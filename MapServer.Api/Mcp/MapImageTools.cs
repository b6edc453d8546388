using System.ComponentModel;
using System.Globalization;
using MapServer.Api.Images;
using MapServer.Api.Sessions;
using MapServer.Api.Viewports;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>get_map_image: the agent sees what it drew, as a viewer shows it.</summary>
[McpServerToolType]
public sealed class MapImageTools(MapSessionGateway sessions, IViewportStore viewports, MapImages images)
{
    [McpServerTool(Name = "get_map_image", Title = "See the map as an image", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false)]
    [Description("Returns a PNG of the map exactly as a viewer shows it (the same renderer: basemap, layers, annotations, legend-coloured data), so you can check what you drew. By default at the map's own view; or give center and zoom, or a bbox, or as_user_sees to look at what the user's viewer last showed. Images of an unchanged map are cached.")]
    public async Task<CallToolResult> GetMapImage(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Width in pixels, 64 to 1600. Default 800.")] int width = 800,
        [Description("Height in pixels, 64 to 1600. Default 600.")] int height = 600,
        [Description("Optional [longitude, latitude] to centre the image on (with zoom).")] double[]? center = null,
        [Description("Optional zoom, 0 to 24 (with or without center).")] double? zoom = null,
        [Description("Optional [west, south, east, north] to fit the image to, instead of center/zoom.")] double[]? bbox = null,
        [Description("true: the box the user's viewer last reported (see get_viewport) instead of the map's view.")] bool as_user_sees = false,
        CancellationToken cancellationToken = default)
    {
        var state = await sessions.GetAsync(session_id, cancellationToken); // unknown or malformed ids become tool errors
        if (as_user_sees)
        {
            if (bbox is not null || center is not null || zoom is not null)
            {
                throw new McpException("as_user_sees takes the user's view: leave out bbox, center and zoom, or set as_user_sees to false.");
            }

            var seen = await viewports.GetAsync(session_id, cancellationToken)
                ?? throw new McpException("No viewer has reported what the user sees yet (the user has not opened the map): call without as_user_sees to see the map's own view.");
            bbox = seen.Viewport.Bounds;
        }

        var request = new MapImageRequest(width, height, center, zoom, bbox);
        if (request.Problem() is { } problem)
        {
            throw new McpException($"Invalid image request: {problem}");
        }

        byte[] png;
        try
        {
            png = await images.DrawAsync(session_id, state, request, cancellationToken);
        }
        catch (MapRendererUnavailableException ex)
        {
            throw new McpException(ex.Message);
        }

        var view = bbox is not null ? $"fitted to [{string.Join(", ", bbox.Select(Number))}]"
            : center is not null || zoom is not null ? $"at zoom {Number(zoom ?? state.Zoom)} around [{string.Join(", ", (center ?? state.Center).Select(Number))}]"
            : "at the map's own view";
        return new CallToolResult
        {
            Content =
            [
                ImageContentBlock.FromBytes(png, "image/png"),
                new TextContentBlock { Text = $"The map (version {state.Version}, {state.Layers.Count} layer(s), {state.Annotations.Count} annotation(s)) as a viewer shows it, {width} x {height} px, {view}{(as_user_sees ? " (what the user's viewer last showed)" : "")}." },
            ],
        };
    }

    private static string Number(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
