using MapServer.Tests.Infrastructure;
using MapServer.Tests.Mcp;

namespace MapServer.Tests.Security;

/// <summary>What a source may make every viewer's browser fetch, checked by add_layer and import_map (api in Production).</summary>
[Trait("Tier", "App")]
public sealed class SourceUrlRuleTests : McpToolTestBase
{
    public static TheoryData<string, string> RefusedTiles => new()
    {
        { "javascript:alert(document.domain)//{z}/{x}/{y}", "javascript: scheme" },
        { "file:///etc/passwd", "file: scheme" },
        { "data:image/png;base64,iVBORw0KGgo=", "data: scheme" },
        { "http://tiles.example.com/{z}/{x}/{y}.png", "http:" },
        { "https://192.168.1.10/{z}/{x}/{y}.png", "private" },
        { "https://127.0.0.1:9/{z}/{x}/{y}.png", "loopback" },
        { "https://[::1]/{z}/{x}/{y}.png", "loopback" },
        { "https://10.1.2.3/{z}/{x}/{y}.png", "private" },
        { "https://2130706433/{z}/{x}/{y}.png", "loopback as a decimal" },
        { "https://localhost/{z}/{x}/{y}.png", "localhost" },
        { "https://tiles.corp.internal/{z}/{x}/{y}.png", "intranet name" },
        { "https://intranet/{z}/{x}/{y}.png", "single-label name" },
        { "https://user:secret@tiles.example.com/{z}/{x}/{y}.png", "credentials" },
    };

    [Theory]
    [MemberData(nameof(RefusedTiles))]
    public async Task A_tile_url_a_browser_must_not_fetch_is_a_clear_tool_error_that_changes_nothing(string url, string why)
    {
        var message = await RejectedAsync("add_layer", new { session_id = Session, layer_id = "t", source = new { type = "raster", tiles = new[] { url }, tileSize = 256 } });

        Assert.Contains("source URL", message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Theory]
    [InlineData("https://169.254.169.254/latest/tilejson.json")]
    [InlineData("pmtiles://https://10.0.0.8/world.pmtiles")]
    [InlineData("pmtiles://http://tiles.example.com/world.pmtiles")]
    public async Task TileJSON_and_PMTiles_urls_follow_the_same_rule(string url)
    {
        var message = await RejectedAsync("add_layer", new { session_id = Session, layer_id = "t", source = new { type = "vector", url } });

        Assert.Contains("source URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_geojson_url_on_a_private_host_is_refused_too()
    {
        var message = await RejectedAsync("add_layer", new { session_id = Session, layer_id = "g", source = new { type = "geojson", data = "https://192.168.0.1/points.geojson" } });

        Assert.Contains("private", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_https_tiles_pmtiles_and_this_servers_own_data_are_accepted()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "osm", source = new { type = "raster", tiles = new[] { "https://tile.openstreetmap.org/{z}/{x}/{y}.png" }, tileSize = 256 } });
        await CallAsync("add_layer", new { session_id = Session, layer_id = "pm", source = new { type = "vector", url = "pmtiles://https://demo.example.com/world.pmtiles" }, layers = new[] { new Dictionary<string, string> { ["type"] = "fill", ["source-layer"] = "land" } } });
        var exported = await CallAsync("export_map", new { session_id = Session });

        await CallAsync("import_map", new { session_id = await CreateSessionAsync(), style = exported.GetProperty("style") });
    }

    [Fact]
    public async Task An_import_carrying_a_private_source_is_refused_whole()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "osm", source = new { type = "raster", tiles = new[] { "https://tile.openstreetmap.org/{z}/{x}/{y}.png" }, tileSize = 256 } });
        var exported = (await CallAsync("export_map", new { session_id = Session })).GetRawText();
        var poisoned = System.Text.Json.JsonDocument.Parse(exported.Replace("https://tile.openstreetmap.org/", "https://192.168.1.1/", StringComparison.Ordinal)).RootElement;
        var target = await CreateSessionAsync();

        var message = await RejectedAsync("import_map", new { session_id = target, style = poisoned.GetProperty("style") }, session: target);

        Assert.Contains("source URL", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mcp_request_body_larger_than_a_layer_and_its_call_is_refused_with_413()
    {
        using var http = Api.CreateHttpClient();
        var body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + new string('x', 7 * 1024 * 1024) + "\"}}";
        using var request = McpHttpRequest.Create(body);
        request.Headers.ExpectContinue = true;

        using var response = await http.SendAsync(request, Token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
