using System.Text.Json;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Mcp;

/// <summary>Every tool through a real MCP client over HTTP, against the api on a real Redis (embedded Garnet).</summary>
[Trait("Tier", "App")]
public sealed class McpToolTests : McpToolTestBase
{
    /// <summary>A GeoJSON source of <paramref name="count"/> points along the equator.</summary>
    private static JsonElement PointsSource(int count)
    {
        var features = Enumerable.Range(0, count).Select(i => new
        {
            type = "Feature",
            geometry = new { type = "Point", coordinates = new[] { i, 0 } },
            properties = new { },
        });
        return JsonSerializer.SerializeToElement(new { type = "geojson", data = new { type = "FeatureCollection", features } });
    }

    [Fact]
    public async Task Tools_list_stays_byte_identical_however_many_calls_are_made()
    {
        using var http = Api.CreateHttpClient();
        var first = await ToolsListAsync(http);
        Assert.Equal(1, CountOf(first, "# Layer catalog")); // the operator's catalog, folded in once

        for (var i = 0; i < 300; i++)
        {
            await CallAsync("set_map_view", new { session_id = Session, zoom = i % 20 });
        }

        Assert.Equal(first, await ToolsListAsync(http));
    }

    /// <summary>The raw body of a stateless tools/list, as any client reads it.</summary>
    private static async Task<string> ToolsListAsync(HttpClient http)
    {
        using var request = McpHttpRequest.Create(McpHttpRequest.ToolsList);
        using var response = await http.SendAsync(request, Token);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(Token);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task Tools_list_every_tool_with_described_parameters_and_truthful_hints()
    {
        var tools = await Agent.ListToolsAsync(cancellationToken: Token);
        string[] expected =
        [
            "create_map_session", "get_map_state", "set_map_view", "fit_bounds", "set_basemap", "add_layer", "remove_layer", "toggle_layer",
            "list_layers", "filter_layer", "set_layer_paint", "set_layer_layout", "set_layer_opacity", "reset_layer_style", "set_layer_order",
            "add_marker", "add_line", "add_polygon", "add_circle", "remove_annotation", "clear_map", "get_history",
            "undo", "redo", "export_map", "import_map", "describe_layer", "style_layer_by_property", "geocode", "reverse_geocode",
            "show_map", "report_viewport",
        ];
        Assert.Empty(expected.Except(tools.Select(t => t.Name)));
        foreach (var tool in tools)
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), $"{tool.Name} has no description");
            foreach (var parameter in tool.JsonSchema.GetProperty("properties").EnumerateObject())
            {
                Assert.True(parameter.Value.TryGetProperty("description", out _), $"{tool.Name}.{parameter.Name} has no description");
            }

            // Clients built on the TypeScript SDK reject the whole tool list if a property schema is a bare boolean.
            if (tool.ProtocolTool.OutputSchema is { } outputSchema && outputSchema.TryGetProperty("properties", out var outputProperties))
            {
                foreach (var property in outputProperties.EnumerateObject())
                {
                    Assert.True(property.Value.ValueKind == JsonValueKind.Object, $"{tool.Name} output property {property.Name} has a non-object schema");
                }
            }

            var readOnly = tool.ProtocolTool.Annotations?.ReadOnlyHint;
            string[] readOnlyPrefixes = ["get_", "list_", "export_", "describe_", "geocode", "reverse_geocode", "show_"];
            Assert.Equal(readOnlyPrefixes.Any(p => tool.Name.StartsWith(p, StringComparison.Ordinal)), readOnly);
        }

        Assert.True(tools.Single(t => t.Name == "clear_map").ProtocolTool.Annotations?.DestructiveHint);
        Assert.True(tools.Single(t => t.Name == "import_map").ProtocolTool.Annotations?.DestructiveHint);
        Assert.False(tools.Single(t => t.Name == "undo").ProtocolTool.Annotations?.IdempotentHint);
    }

    [Fact]
    public async Task Original_example_flow_pmtiles_layer_filtered_coloured_and_framed_is_stored_in_redis()
    {
        await CallAsync("add_layer", new
        {
            session_id = Session,
            layer_id = "buildings",
            source = new { type = "vector", url = "pmtiles://https://example.com/buildings.pmtiles" },
            layers = new[] { JsonDocument.Parse("""{"type":"fill","source-layer":"buildings"}""").RootElement },
            title = "Buildings",
        });
        await CallAsync("filter_layer", new { session_id = Session, layer_id = "buildings", filter = JsonDocument.Parse("""[">", ["get", "height"], 20]""").RootElement });
        await CallAsync("set_layer_paint", new
        {
            session_id = Session,
            layer_id = "buildings",
            property = "fill-color",
            value = JsonDocument.Parse("""["match", ["get", "use"], "residential", "#f59e0b", "commercial", "#2563eb", "#9ca3af"]""").RootElement,
        });
        var moved = await CallAsync("set_map_view", new { session_id = Session, center = new[] { -74.006, 40.7128 }, zoom = 14 });
        Assert.Equal(4, moved.GetProperty("version").GetInt64());

        var state = await StoredStateAsync();
        Assert.Equal(4, state.GetProperty("version").GetInt64());
        Assert.Equal(14, state.GetProperty("zoom").GetDouble());
        var layer = state.GetProperty("layers").GetProperty("buildings");
        Assert.Equal("pmtiles://https://example.com/buildings.pmtiles", layer.GetProperty("source").GetProperty("url").GetString());
        Assert.Equal(">", layer.GetProperty("filters").GetProperty("buildings-fill")[0].GetString());
        Assert.Equal("match", layer.GetProperty("paint").GetProperty("buildings-fill").GetProperty("fill-color")[0].GetString());
    }

    [Fact]
    public async Task Layer_tools_toggle_order_opacity_layout_reset_and_remove()
    {
        var points = JsonDocument.Parse("""{"type":"geojson","data":{"type":"Point","coordinates":[10,50]}}""").RootElement;
        await CallAsync("add_layer", new { session_id = Session, layer_id = "a", source = points });
        await CallAsync("add_layer", new { session_id = Session, layer_id = "b", source = points, title = "B" });
        await CallAsync("toggle_layer", new { session_id = Session, layer_id = "a", visibility = "hide" });
        await CallAsync("set_layer_order", new { session_id = Session, layer_id = "b", position = "below", relative_to = "a" });
        await CallAsync("set_layer_opacity", new { session_id = Session, layer_id = "b", opacity = 0.4 });
        await CallAsync("set_layer_layout", new { session_id = Session, layer_id = "b", property = "line-cap", value = "round" });
        await CallAsync("set_layer_paint", new { session_id = Session, layer_id = "b", property = "circle-radius", value = 9 });
        await CallAsync("reset_layer_style", new { session_id = Session, layer_id = "b" });

        var listed = await CallAsync("list_layers", new { session_id = Session });
        var layers = listed.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(["b", "a"], layers.Select(l => l.GetProperty("layer_id").GetString()));
        Assert.False(layers[1].GetProperty("visible").GetBoolean());
        Assert.Equal(0.4, layers[0].GetProperty("opacity").GetDouble());
        Assert.Empty(layers[0].GetProperty("style_layers")[2].GetProperty("paint_overrides").EnumerateArray());

        await CallAsync("remove_layer", new { session_id = Session, layer_id = "a" });
        Assert.False((await StoredStateAsync()).GetProperty("layers").TryGetProperty("a", out _));
    }

    [Fact]
    public async Task Annotation_tools_add_update_and_remove_by_id()
    {
        await CallAsync("add_marker", new { session_id = Session, marker_id = "eiffel", longitude = 2.2945, latitude = 48.8584, label = "Eiffel Tower", popup = "**324 m**" });
        await CallAsync("add_marker", new { session_id = Session, marker_id = "eiffel", longitude = 2.2945, latitude = 48.8584, label = "Tour Eiffel", color = "gold" });
        await CallAsync("add_line", new { session_id = Session, line_id = "route", coordinates = new[] { new[] { 2.35, 48.85 }, new[] { 4.83, 45.76 } } });
        await CallAsync("add_polygon", new { session_id = Session, polygon_id = "zone", coordinates = new[] { new[] { 2.0, 48.0 }, new[] { 3.0, 48.0 }, new[] { 3.0, 49.0 } } });
        await CallAsync("add_circle", new { session_id = Session, circle_id = "radius", longitude = 2.35, latitude = 48.85, radius_meters = 5000 });

        var annotations = (await StoredStateAsync()).GetProperty("annotations");
        Assert.Equal("Tour Eiffel", annotations.GetProperty("eiffel").GetProperty("label").GetString());
        Assert.Equal("marker", annotations.GetProperty("eiffel").GetProperty("kind").GetString());
        Assert.Equal(4, annotations.GetProperty("zone").GetProperty("geometry").GetProperty("coordinates")[0].GetArrayLength()); // closed for the agent
        Assert.Equal(5000, annotations.GetProperty("radius").GetProperty("radiusMeters").GetDouble());

        await CallAsync("remove_annotation", new { session_id = Session, annotation_id = "route" });
        Assert.False((await StoredStateAsync()).GetProperty("annotations").TryGetProperty("route", out _));
    }

    [Fact]
    public async Task View_tools_fit_bounds_and_basemap_then_history_and_clear()
    {
        await CallAsync("fit_bounds", new { session_id = Session, bbox = new[] { -0.51, 51.28, 0.33, 51.69 } });
        await CallAsync("set_basemap", new { session_id = Session, basemap = "blank" });
        await CallAsync("add_marker", new { session_id = Session, marker_id = "m", longitude = 0, latitude = 51.5 });
        await CallAsync("clear_map", new { session_id = Session });

        var state = await StoredStateAsync();
        Assert.Equal("blank", state.GetProperty("basemap").GetString());
        Assert.Empty(state.GetProperty("annotations").EnumerateObject());
        var history = await CallAsync("get_history", new { session_id = Session, limit = 10 });
        Assert.Equal(["fit_bounds", "set_basemap", "add_marker", "clear_map"], history.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("op").GetString()));
    }

    [Fact]
    public async Task Get_map_state_gives_layer_data_by_url_unless_asked_for_the_geojson()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "many", source = PointsSource(50) });

        var small = await CallAsync("get_map_state", new { session_id = Session });
        var many = small.GetProperty("layers").GetProperty("many");
        Assert.Matches("^/sessions/[A-Za-z0-9_-]{22}/data/[0-9a-f]{64}$", many.GetProperty("source").GetProperty("data").GetString());
        Assert.Equal(50, many.GetProperty("data").GetProperty("features").GetInt32());
        var full = await CallAsync("get_map_state", new { session_id = Session, omit_geojson = false });
        Assert.Equal(50, full.GetProperty("layers").GetProperty("many").GetProperty("source").GetProperty("data").GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Bad_input_is_an_error_result_that_says_what_to_do_and_changes_nothing()
    {
        Assert.Contains("longitude", await RejectedAsync("set_map_view", new { session_id = Session, center = new[] { 200.0, 10 } }));
        Assert.Contains("zoom must be between 0 and 24", await RejectedAsync("set_map_view", new { session_id = Session, zoom = 30 }));
        Assert.Contains("pitch", await RejectedAsync("set_map_view", new { session_id = Session, pitch = 90 }));
        Assert.Contains("not a colour", await RejectedAsync("add_marker", new { session_id = Session, marker_id = "m", longitude = 0, latitude = 0, color = "blurple" }));
        Assert.Contains("not a valid id", await RejectedAsync("add_marker", new { session_id = Session, marker_id = "bad id!", longitude = 0, latitude = 0 }));
        Assert.Contains("must be closed", await RejectedAsync("add_layer", new
        {
            session_id = Session,
            layer_id = "p",
            source = JsonDocument.Parse("""{"type":"geojson","data":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}""").RootElement,
        }));
        Assert.Contains("does not exist", await RejectedAsync("toggle_layer", new { session_id = Session, layer_id = "nope" }));
        Assert.Contains("'show', 'hide', 'toggle'", await RejectedAsync("toggle_layer", new { session_id = Session, layer_id = "nope", visibility = "maybe" }));
        Assert.Contains("basemap 'moon' is unknown", await RejectedAsync("set_basemap", new { session_id = Session, basemap = "moon" }));

        var unknown = await Agent.CallToolAsync("set_map_view", ToArguments(new { session_id = "AAAAAAAAAAAAAAAAAAAAAA", zoom = 3 }), cancellationToken: Token);
        Assert.True(unknown.IsError);
        Assert.Contains("create_map_session", Text(unknown));
        var malformed = await Agent.CallToolAsync("get_map_state", ToArguments(new { session_id = "x" }), cancellationToken: Token);
        Assert.True(malformed.IsError);
        Assert.Contains("create_map_session", Text(malformed));
    }

    [Fact]
    public async Task Geojson_over_the_size_limit_is_refused()
    {
        await using var api = new ApiInstance(Redis.ConnectionString, new Dictionary<string, string?> { ["MapServer:MaxGeoJsonBytes"] = "1000" });
        await using var agent = await api.CreateMcpClientAsync(Token);
        var result = await agent.CallToolAsync("add_layer", ToArguments(new
        {
            session_id = Session,
            layer_id = "big",
            source = PointsSource(40),
        }), cancellationToken: Token);
        Assert.True(result.IsError);
        Assert.Contains("the limit is 1,000", Text(result));
    }

    [Fact]
    public async Task Layer_catalog_is_a_prompt_a_resource_and_part_of_add_layer_description()
    {
        var prompts = await Agent.ListPromptsAsync(cancellationToken: Token);
        Assert.Contains(prompts, p => p.Name == "layer_catalog");
        var prompt = await Agent.GetPromptAsync("layer_catalog", cancellationToken: Token);
        Assert.Contains("pmtiles://", string.Join("", prompt.Messages.Select(m => (m.Content as TextContentBlock)?.Text)));

        var catalog = await Agent.ReadResourceAsync("map://catalog", cancellationToken: Token);
        Assert.Contains("Layer catalog", catalog.Contents.OfType<TextResourceContents>().Single().Text);
        var session = await Agent.ReadResourceAsync($"map://sessions/{Session}", cancellationToken: Token);
        Assert.StartsWith("{\"version\":0", session.Contents.OfType<TextResourceContents>().Single().Text);

        var addLayer = (await Agent.ListToolsAsync(cancellationToken: Token)).Single(t => t.Name == "add_layer");
        Assert.Contains("Protomaps", addLayer.Description);
    }

    [Theory]
    [InlineData("evil.example.com", null)]
    [InlineData("localhost", "http://evil.example.com")]
    public async Task Requests_naming_a_foreign_host_or_origin_are_refused(string host, string? origin)
    {
        using var http = Api.CreateHttpClient();
        using var request = McpHttpRequest.Create(McpHttpRequest.Ping);
        request.Headers.Host = host;
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request, Token);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
