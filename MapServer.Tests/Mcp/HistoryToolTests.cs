using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Mcp;

/// <summary>undo, redo, export_map and import_map through a real MCP client over HTTP, against the api on a real Redis (embedded Garnet).</summary>
[Trait("Tier", "App")]
public sealed class HistoryToolTests : McpToolTestBase
{
    /// <summary>The stored state without its version, for comparing content.</summary>
    private async Task<JsonObject> ContentAsync(string? session = null)
    {
        var state = JsonNode.Parse(await RawStateAsync(session))!.AsObject();
        state.Remove("version");
        return state;
    }

    private async Task<long> VersionAsync() => JsonDocument.Parse(await RawStateAsync(Session)).RootElement.GetProperty("version").GetInt64();

    private static void AssertSameContent(JsonObject expected, JsonObject actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected.ToJsonString()}\nbut got {actual.ToJsonString()}");

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static readonly JsonElement Parks = Json("""
        {"type":"geojson","data":{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[2.0,48.0],[3.0,48.0],[3.0,49.0],[2.0,48.0]]]},"properties":{"kind":"park"}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[2.35,48.85]},"properties":{"kind":"fountain"}}]}}
        """);

    [Fact]
    public async Task Undo_restores_the_previous_state_exactly_and_redo_reapplies_it()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "parks", source = Parks, title = "Parks" });
        await CallAsync("add_marker", new { session_id = Session, marker_id = "m", longitude = 2.35, latitude = 48.85, label = "Here" });
        var before = await ContentAsync();
        await CallAsync("set_layer_paint", new { session_id = Session, layer_id = "parks", property = "fill-color", value = "#16a34a" });
        var after = await ContentAsync();

        var undone = await CallAsync("undo", new { session_id = Session });
        Assert.Equal(4, undone.GetProperty("version").GetInt64()); // version moves forward
        Assert.Contains("undo of v3", undone.GetProperty("summary").GetString());
        AssertSameContent(before, await ContentAsync());

        var redone = await CallAsync("redo", new { session_id = Session });
        Assert.Equal(5, redone.GetProperty("version").GetInt64());
        Assert.Contains("redo of v3", redone.GetProperty("summary").GetString());
        AssertSameContent(after, await ContentAsync());
    }

    [Fact]
    public async Task Undo_and_redo_chain_over_three_changes()
    {
        var states = new List<JsonObject> { await ContentAsync() };
        await CallAsync("add_layer", new { session_id = Session, layer_id = "parks", source = Parks });
        states.Add(await ContentAsync());
        await CallAsync("set_map_view", new { session_id = Session, center = new[] { 2.35, 48.85 }, zoom = 11, pitch = 30 });
        states.Add(await ContentAsync());
        await CallAsync("remove_layer", new { session_id = Session, layer_id = "parks" });
        states.Add(await ContentAsync());

        for (var i = 2; i >= 0; i--)
        {
            await CallAsync("undo", new { session_id = Session });
            AssertSameContent(states[i], await ContentAsync());
        }

        Assert.Contains("nothing to undo", await RejectedAsync("undo", new { session_id = Session }));

        for (var i = 1; i <= 3; i++)
        {
            await CallAsync("redo", new { session_id = Session });
            AssertSameContent(states[i], await ContentAsync());
        }

        Assert.Contains("nothing to redo", await RejectedAsync("redo", new { session_id = Session }));
        Assert.Equal(9, await VersionAsync());

        var history = await CallAsync("get_history", new { session_id = Session, limit = 20 });
        Assert.Equal(
            ["add_layer", "set_map_view", "remove_layer", "undo", "undo", "undo", "redo", "redo", "redo"],
            history.GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("op").GetString()));
    }

    [Fact]
    public async Task A_new_change_after_undo_clears_redo()
    {
        await CallAsync("add_marker", new { session_id = Session, marker_id = "a", longitude = 1, latitude = 1 });
        await CallAsync("add_marker", new { session_id = Session, marker_id = "b", longitude = 2, latitude = 2 });
        await CallAsync("undo", new { session_id = Session });
        await CallAsync("add_marker", new { session_id = Session, marker_id = "c", longitude = 3, latitude = 3 });

        Assert.Contains("nothing to redo", await RejectedAsync("redo", new { session_id = Session }));

        // Undo now reverts c, then a (b stays undone).
        await CallAsync("undo", new { session_id = Session });
        var annotations = (await ContentAsync())["annotations"]!.AsObject();
        Assert.Equal(["a"], annotations.Select(a => a.Key));
        await CallAsync("undo", new { session_id = Session });
        Assert.Empty((await ContentAsync())["annotations"]!.AsObject());
    }

    [Fact]
    public async Task Nothing_to_undo_or_redo_is_a_tool_error_that_changes_nothing()
    {
        Assert.Contains("nothing to undo", await RejectedAsync("undo", new { session_id = Session }));
        Assert.Contains("nothing to redo", await RejectedAsync("redo", new { session_id = Session }));
        var unknown = await Agent.CallToolAsync("undo", ToArguments(new { session_id = "AAAAAAAAAAAAAAAAAAAAAA" }), cancellationToken: Token);
        Assert.True(unknown.IsError);
        Assert.Contains("create_map_session", Text(unknown));
    }

    [Fact]
    public async Task Undo_reaches_back_only_over_the_replay_buffer()
    {
        await using var api = new ApiInstance(Redis.ConnectionString, new Dictionary<string, string?> { ["MapServer:ReplayBufferLength"] = "3" });
        await using var agent = await api.CreateMcpClientAsync(Token);
        var created = await agent.CallToolAsync("create_map_session", cancellationToken: Token);
        var session = created.StructuredContent!.Value.GetProperty("session_id").GetString()!;
        for (var zoom = 1; zoom <= 5; zoom++)
        {
            Assert.True((await agent.CallToolAsync("set_map_view", ToArguments(new { session_id = session, zoom }), cancellationToken: Token)).IsError is not true);
        }

        // The buffer holds the last 3 events, undos included: after two undos (zoom back to 3) v3 is out of reach.
        for (var i = 0; i < 2; i++)
        {
            var result = await agent.CallToolAsync("undo", ToArguments(new { session_id = session }), cancellationToken: Token);
            Assert.True(result.IsError is not true, Text(result));
        }

        Assert.Equal(3, JsonDocument.Parse(await RawStateAsync(session)).RootElement.GetProperty("zoom").GetDouble());
        var refused = await agent.CallToolAsync("undo", ToArguments(new { session_id = session }), cancellationToken: Token);
        Assert.True(refused.IsError);
        Assert.Contains("reach", Text(refused));
        Assert.Contains("last 3 recorded changes", Text(refused));
        Assert.Equal(3, JsonDocument.Parse(await RawStateAsync(session)).RootElement.GetProperty("zoom").GetDouble());
    }

    [Fact]
    public async Task Export_then_import_into_a_freshSession_reproduces_layers_annotations_and_view()
    {
        await CallAsync("add_layer", new
        {
            session_id = Session,
            layer_id = "buildings",
            source = new { type = "vector", url = "pmtiles://https://example.com/buildings.pmtiles" },
            layers = new[] { Json("""{"type":"fill","source-layer":"buildings","paint":{"fill-opacity":0.8}}""") },
            title = "Buildings",
        });
        await CallAsync("add_layer", new { session_id = Session, layer_id = "parks", source = Parks, legend_color = "#16a34a" });
        await CallAsync("filter_layer", new { session_id = Session, layer_id = "buildings", filter = Json("""[">", ["get", "height"], 20]""") });
        await CallAsync("set_layer_paint", new { session_id = Session, layer_id = "buildings", property = "fill-color", value = Json("""["match", ["get", "use"], "residential", "#f59e0b", "#9ca3af"]""") });
        await CallAsync("set_layer_opacity", new { session_id = Session, layer_id = "buildings", opacity = 0.5 });
        await CallAsync("toggle_layer", new { session_id = Session, layer_id = "parks", visibility = "hide" });
        await CallAsync("set_layer_order", new { session_id = Session, layer_id = "parks", position = "bottom" });
        await CallAsync("add_marker", new { session_id = Session, marker_id = "eiffel", longitude = 2.2945, latitude = 48.8584, label = "Eiffel Tower", popup = "**324 m**", color = "gold" });
        await CallAsync("add_circle", new { session_id = Session, circle_id = "zone", longitude = 2.35, latitude = 48.85, radius_meters = 5000 });
        await CallAsync("add_line", new { session_id = Session, line_id = "route", coordinates = new[] { new[] { 2.35, 48.85 }, new[] { 4.83, 45.76 } } });
        await CallAsync("set_map_view", new { session_id = Session, center = new[] { 2.35, 48.85 }, zoom = 12, bearing = 20, pitch = 40 });
        await CallAsync("set_basemap", new { session_id = Session, basemap = "topo" });

        var exported = await CallAsync("export_map", new { session_id = Session });
        var style = exported.GetProperty("style");
        Assert.Equal(8, style.GetProperty("version").GetInt32());
        var layerIds = style.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList();
        Assert.Equal(
            ["parks-fill", "parks-line", "parks-circle", "buildings-fill"],
            layerIds.Where(id => !id.StartsWith("mapserver-", StringComparison.Ordinal) && !id.StartsWith("basemap-", StringComparison.Ordinal)));
        Assert.True(layerIds.IndexOf("basemap-raster") < layerIds.IndexOf("parks-fill"), "the topo tiles under the layers");
        var buildings = style.GetProperty("layers").EnumerateArray().Single(l => l.GetProperty("id").GetString() == "buildings-fill");
        Assert.Equal(">", buildings.GetProperty("filter")[0].GetString());
        Assert.Equal(0.4, buildings.GetProperty("paint").GetProperty("fill-opacity").GetDouble(), 6);
        Assert.Equal("match", buildings.GetProperty("paint").GetProperty("fill-color")[0].GetString());
        Assert.Equal(3, exported.GetProperty("annotations").GetProperty("features").GetArrayLength());

        var copy = await CreateSessionAsync();
        var imported = await CallAsync("import_map", new { session_id = copy, style, annotations = exported.GetProperty("annotations") });
        Assert.Equal(1, imported.GetProperty("version").GetInt64());

        var original = await ContentAsync();
        var reproduced = await ContentAsync(copy);
        foreach (var key in (string[])["center", "zoom", "bearing", "pitch", "basemap", "layerOrder", "annotations"])
        {
            Assert.True(JsonNode.DeepEquals(original[key], reproduced[key]), $"{key}: {original[key]?.ToJsonString()} vs {reproduced[key]?.ToJsonString()}");
        }

        var parks = reproduced["layers"]!["parks"]!;
        Assert.False(parks["visible"]!.GetValue<bool>());
        Assert.Equal("#16a34a", parks["legendColor"]!.GetValue<string>());
        Assert.Equal("Buildings", reproduced["layers"]!["buildings"]!["title"]!.GetValue<string>());

        // The copy holds its own copy of the layer data, and renders the same: both exported with their data give the same documents.
        Assert.StartsWith($"/sessions/{copy}/data/", parks["source"]!["data"]!.GetValue<string>(), StringComparison.Ordinal);
        var originalWithData = await CallAsync("export_map", new { session_id = Session, include_data = true });
        var again = await CallAsync("export_map", new { session_id = copy, include_data = true });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(originalWithData.GetProperty("style").GetRawText()), JsonNode.Parse(again.GetProperty("style").GetRawText())), again.GetProperty("style").GetRawText());
        Assert.Equal(JsonValueKind.Object, again.GetProperty("style").GetProperty("sources").GetProperty("parks").GetProperty("data").ValueKind);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(exported.GetProperty("annotations").GetRawText()), JsonNode.Parse(again.GetProperty("annotations").GetRawText())));

        // And the import is one change that undo reverts.
        await CallAsync("undo", new { session_id = copy });
        var reverted = await ContentAsync(copy);
        Assert.Empty(reverted["layers"]!.AsObject());
        Assert.Empty(reverted["annotations"]!.AsObject());
    }

    [Fact]
    public async Task Import_of_bad_input_is_rejected_and_changes_nothing()
    {
        await CallAsync("add_marker", new { session_id = Session, marker_id = "keep", longitude = 1, latitude = 1 });

        Assert.Contains("pass style", await RejectedAsync("import_map", new { session_id = Session }));
        Assert.Contains("\"version\": 8", await RejectedAsync("import_map", new { session_id = Session, style = Json("""{"version":7,"sources":{},"layers":[]}""") }));
        Assert.Contains("not in style.sources", await RejectedAsync("import_map", new
        {
            session_id = Session,
            style = Json("""{"version":8,"sources":{},"layers":[{"id":"x","type":"line","source":"nowhere"}]}"""),
        }));
        Assert.Contains("source-layer", await RejectedAsync("import_map", new
        {
            session_id = Session,
            style = Json("""{"version":8,"sources":{"roads":{"type":"vector","url":"pmtiles://https://example.com/r.pmtiles"}},"layers":[{"id":"r","type":"line","source":"roads"}]}"""),
        }));
        Assert.Contains("zoom must be between 0 and 24", await RejectedAsync("import_map", new
        {
            session_id = Session,
            style = Json("""{"version":8,"zoom":40,"sources":{},"layers":[]}"""),
        }));
        Assert.Contains("must be closed", await RejectedAsync("import_map", new
        {
            session_id = Session,
            annotations = Json("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]},"properties":{"id":"p"}}]}"""),
        }));
        Assert.Contains("needs an id", await RejectedAsync("import_map", new
        {
            session_id = Session,
            annotations = Json("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{}}]}"""),
        }));
        Assert.Contains("not a colour", await RejectedAsync("import_map", new
        {
            session_id = Session,
            annotations = Json("""{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]},"properties":{"id":"m","color":"blurple"}}]}"""),
        }));
        Assert.Contains("FeatureCollection", await RejectedAsync("import_map", new { session_id = Session, annotations = Json("""{"type":"Point","coordinates":[0,0]}""") }));
    }
}
