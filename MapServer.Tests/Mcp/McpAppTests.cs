using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MapServer.Api.Mcp;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Mcp;

/// <summary>The MCP Apps side of the protocol (extension io.modelcontextprotocol/ui) as a host sees it over MCP, and the session header.</summary>
[Trait("Tier", "App")]
public sealed class McpAppTests : McpToolTestBase
{
    [Fact]
    public async Task Server_advertises_the_apps_extension_and_show_map_names_its_live_map()
    {
        Assert.True(Agent.ServerCapabilities.Extensions?.ContainsKey("io.modelcontextprotocol/ui"), "the server does not advertise io.modelcontextprotocol/ui");

        var tools = await Agent.ListToolsAsync(cancellationToken: Token);
        var showMap = tools.Single(t => t.Name == "show_map").ProtocolTool;
        Assert.Equal(MapApp.ResourceUri, showMap.Meta?["ui"]?["resourceUri"]?.GetValue<string>());
        Assert.Equal(MapApp.ResourceUri, showMap.Meta?["ui/resourceUri"]?.GetValue<string>()); // hosts that read the older key
        Assert.Contains("chat", showMap.Description, StringComparison.Ordinal); // says when to call it

        // The app's own tool is for the app alone: hosts keep it out of the model's list.
        var reportViewport = tools.Single(t => t.Name == "report_viewport").ProtocolTool;
        Assert.Equal(["app"], reportViewport.Meta?["ui"]?["visibility"]?.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Null(showMap.Meta?["ui"]?["visibility"]); // default: the model and the app
    }

    [Fact]
    public async Task Live_map_resource_is_an_mcp_app_page_of_the_viewer_with_the_domains_it_needs()
    {
        var listed = (await Agent.ListResourcesAsync(cancellationToken: Token)).Single(r => r.Uri == MapApp.ResourceUri);
        Assert.Equal("text/html;profile=mcp-app", listed.MimeType);

        var read = await Agent.ReadResourceAsync(MapApp.ResourceUri, cancellationToken: Token);
        var content = Assert.IsType<TextResourceContents>(Assert.Single(read.Contents));
        Assert.Equal("text/html;profile=mcp-app", content.MimeType);
        var origin = Api.BaseAddress.GetLeftPart(UriPartial.Authority); // no PublicBaseUrl here: the request's origin
        Assert.Contains($"""<script type="module" src="{origin}/js/map-app.js"></script>""", content.Text, StringComparison.Ordinal);
        Assert.Contains("<!doctype html>", content.Text, StringComparison.Ordinal);

        var csp = content.Meta?["ui"]?["csp"];
        Assert.NotNull(csp);
        var connect = csp["connectDomains"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        var resources = csp["resourceDomains"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Contains(origin, connect); // the stream, layer data, basemap and glyphs
        Assert.Contains(origin, resources); // the modules and styles
        Assert.Contains("https://tile.openstreetmap.org", connect); // the streets basemap's tiles
        Assert.All(connect.Concat(resources), domain => Assert.Matches("^https?://[^/]+$", domain));
    }

    [Fact]
    public async Task Show_map_returns_the_read_only_viewer_link_and_refuses_an_unknown_session()
    {
        var shown = await CallAsync("show_map", new { session_id = Session });
        var viewerUrl = shown.GetProperty("viewer_url").GetString()!;
        Assert.Matches("/map/v[A-Za-z0-9_-]+$", viewerUrl); // the view token, never the session id
        Assert.DoesNotContain(Session, viewerUrl, StringComparison.Ordinal);
        Assert.Contains(viewerUrl, shown.GetProperty("message").GetString(), StringComparison.Ordinal); // meaningful as text too

        var error = await RejectedAsync("show_map", new { session_id = "not-a-session" });
        Assert.Contains("session", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Viewport_reported_by_the_app_is_what_get_viewport_answers_and_bad_reports_say_what_to_send()
    {
        var viewerUrl = (await CallAsync("show_map", new { session_id = Session })).GetProperty("viewer_url").GetString()!;
        var view = viewerUrl[(viewerUrl.LastIndexOf('/') + 1)..];

        var stored = await Agent.CallToolAsync("report_viewport", ToArguments(new
        {
            session_id = view,
            bounds = new[] { 2.2, 48.8, 2.4, 48.9 },
            zoom = 12.5,
            center = new[] { 2.3, 48.85 },
            clicked_feature = new { layerId = "parks", properties = new { name = "Champ de Mars" } },
        }), cancellationToken: Token);
        Assert.True(stored.IsError is not true, Text(stored));

        var viewport = await CallAsync("get_viewport", new { session_id = Session });
        Assert.True(viewport.GetProperty("reported").GetBoolean());
        Assert.Equal(12.5, viewport.GetProperty("zoom").GetDouble());
        Assert.Equal("Champ de Mars", viewport.GetProperty("clicked_feature").GetProperty("properties").GetProperty("name").GetString());

        var bad = await Agent.CallToolAsync("report_viewport", ToArguments(new { session_id = view, bounds = new[] { 2.4, 48.8, 2.2 }, zoom = 12, center = new[] { 2.3, 48.85 } }), cancellationToken: Token);
        Assert.True(bad.IsError);
        Assert.Contains("bounds", Text(bad), StringComparison.Ordinal);
        var unknown = await Agent.CallToolAsync("report_viewport", ToArguments(new { session_id = "v" + new string('A', 22), bounds = new[] { 2.2, 48.8, 2.4, 48.9 }, zoom = 12, center = new[] { 2.3, 48.85 } }), cancellationToken: Token);
        Assert.True(unknown.IsError);
        Assert.Contains("No map session", Text(unknown), StringComparison.Ordinal);

        var unchanged = await CallAsync("get_viewport", new { session_id = Session });
        Assert.Equal(12.5, unchanged.GetProperty("zoom").GetDouble());
    }

    [Fact]
    public async Task Any_origin_may_read_a_sessions_stream_but_not_write_and_never_through_a_foreign_host()
    {
        var viewerUrl = (await CallAsync("show_map", new { session_id = Session })).GetProperty("viewer_url").GetString()!;
        var view = viewerUrl[(viewerUrl.LastIndexOf('/') + 1)..];
        using var http = Api.CreateHttpClient();

        // The map inside a chat runs on its host's origin (or none, "null") and reads the stream with a CORS GET.
        foreach (var origin in new[] { "null", "https://chat.example.com" })
        {
            using var read = new HttpRequestMessage(HttpMethod.Get, $"/events?session={view}");
            read.Headers.Add("Origin", origin);
            using var stream = await http.SendAsync(read, HttpCompletionOption.ResponseHeadersRead, Token);
            Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
            Assert.Equal("*", stream.Headers.GetValues("Access-Control-Allow-Origin").Single());
        }

        // Not a write from that origin (viewport reports from the app go through its host as a tool call) ...
        using var write = new HttpRequestMessage(HttpMethod.Post, $"/sessions/{view}/viewport")
        {
            Content = JsonContent.Create(new { bounds = new[] { 2.2, 48.8, 2.4, 48.9 }, zoom = 12, center = new[] { 2.3, 48.85 } }),
        };
        write.Headers.Add("Origin", "https://chat.example.com");
        using var refused = await http.SendAsync(write, Token);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));

        // ... and never a foreign Host (DNS rebinding).
        using var rebound = new HttpRequestMessage(HttpMethod.Get, $"/events?session={view}");
        rebound.Headers.Host = "evil.example.com";
        rebound.Headers.Add("Origin", "null");
        using var foreign = await http.SendAsync(rebound, HttpCompletionOption.ResponseHeadersRead, Token);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task Every_tool_taking_a_session_id_lets_it_travel_as_the_mcp_param_session_id_header()
    {
        var tools = (await Agent.ListToolsAsync(cancellationToken: Token)).Where(t => t.JsonSchema.GetProperty("properties").TryGetProperty("session_id", out _)).ToList();

        Assert.True(tools.Count >= 25, $"only {tools.Count} tools take a session_id");
        Assert.All(tools, tool => Assert.Equal("Session-Id", tool.JsonSchema.GetProperty("properties").GetProperty("session_id").GetProperty("x-mcp-header").GetString()));
        // A client that listed the tools sends the header and its calls go through (the SDK's transport checks it).
        Assert.True((await Agent.CallToolAsync("get_map_state", ToArguments(new { session_id = Session }), cancellationToken: Token)).IsError is not true);
    }
}
