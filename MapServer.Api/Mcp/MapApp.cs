using System.ComponentModel;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using MapServer.Api.Security;
using MapServer.ServiceDefaults;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>
/// The map inside a chat (MCP Apps, extension io.modelcontextprotocol/ui): the HTML a host shows in a sandboxed frame
/// for show_map. It is the viewer's own map, loaded from the viewer's origin (its modules, MapLibre, the MCP Apps
/// library), joined to the same live session as every browser viewer; <c>_meta.ui.csp</c> asks the host to let it reach
/// that origin and the basemap tiles.
/// </summary>
[McpServerResourceType]
public sealed class MapApp(PublicLinks links, IOptions<SourceUrlOptions> sources)
{
    public const string ResourceUri = "ui://map-server/live-map.html";
    public const string MimeType = "text/html;profile=mcp-app";
    public const string ExtensionId = "io.modelcontextprotocol/ui";

    [McpServerResource(UriTemplate = ResourceUri, Name = "live_map", Title = "Live map", MimeType = MimeType)]
    [McpMeta("ui", JsonValue = """{"prefersBorder":true}""")]
    [Description("The live map shown inside the chat by show_map (an MCP App): the same session every browser viewer shows, updated as it changes.")]
    public TextResourceContents LiveMap()
    {
        var origin = links.BaseUrl;
        return new TextResourceContents
        {
            Uri = ResourceUri,
            MimeType = MimeType,
            Text = Html(origin),
            Meta = new JsonObject { ["ui"] = new JsonObject { ["csp"] = Csp(origin), ["prefersBorder"] = true } },
        };
    }

    /// <summary>connectDomains: the viewer's origin (stream, layer data, basemap, glyphs) and tile hosts; resourceDomains: its scripts and styles, and tiles.</summary>
    private JsonObject Csp(string origin)
    {
        var tiles = RasterBasemaps.Hosts.Select(host => $"https://{host}");
        var agentHosts = sources.Value.AllowedHosts
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(host => $"https://{host}");
        string[] connect = [origin, .. tiles, .. agentHosts];
        string[] resources = [origin, .. tiles];
        return new JsonObject
        {
            ["connectDomains"] = new JsonArray([.. connect.Distinct(StringComparer.Ordinal).Select(d => JsonValue.Create(d))]),
            ["resourceDomains"] = new JsonArray([.. resources.Distinct(StringComparer.Ordinal).Select(d => JsonValue.Create(d))]),
        };
    }

    private static string Html(string origin)
    {
        var o = HtmlEncoder.Default.Encode(origin);
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Live map</title>
            <link rel="stylesheet" href="{{o}}/lib/maplibre/maplibre-gl.css">
            <link rel="stylesheet" href="{{o}}/app.css">
            <style>
              html, body { margin: 0; height: 480px; }
              .map-app { position: relative; height: 480px; overflow: hidden; }
              .map-app .map-view { position: absolute; inset: 0; }
              .map-app .side-panel { position: absolute; top: .5rem; left: .5rem; width: 15rem; max-height: calc(100% - 3rem); overflow: auto; padding: .25rem .75rem; }
              .map-app .side-panel summary { cursor: pointer; }
              .map-app .open-viewer { position: absolute; right: .5rem; bottom: 2.25rem; padding: .3rem .6rem; border-radius: 4px;
                background: #fff; color: #1f2937; font: 600 .8rem system-ui, sans-serif; text-decoration: none; box-shadow: 0 0 0 2px rgb(0 0 0 / .1); }
              .map-app .app-status:empty { display: none; }
              .map-app .app-status { position: absolute; inset: auto 0 0 0; margin: 0; padding: .5rem; }
            </style>
            </head>
            <body>
            <main class="map-app">
              <div class="map-view" role="region" aria-label="Live map"></div>
              <details class="side-panel">
                <summary><span class="status connecting" role="status" aria-live="polite" data-testid="status">Connecting…</span></summary>
                <section aria-labelledby="layers-heading">
                  <h2 id="layers-heading">Layers <span class="count">0</span></h2>
                  <div data-panel="layers"><p class="empty">No layers yet.</p></div>
                </section>
                <section aria-labelledby="markers-heading">
                  <h2 id="markers-heading">Markers <span class="count">0</span></h2>
                  <div data-panel="markers"><p class="empty">No markers yet.</p></div>
                </section>
              </details>
              <a class="open-viewer" target="_blank" rel="noopener" hidden>Open the full map</a>
              <p class="app-status" role="status" data-testid="app-status"></p>
            </main>
            <script type="module" src="{{o}}/js/map-app.js"></script>
            </body>
            </html>
            """;
    }
}
