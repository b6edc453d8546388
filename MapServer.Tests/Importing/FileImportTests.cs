using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MapServer.Api.Importing;
using MapServer.Tests.Infrastructure;
using MapServer.Tests.Mcp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MapServer.Tests.Importing;

/// <summary>
/// Files onto a map through the api as deployed (a real Redis, real HTTP, a real MCP client): each format becomes a
/// layer the agent can describe and style, bad files are refused clearly and change nothing, layers export back.
/// </summary>
[Trait("Tier", "App")]
public sealed class FileImportTests : McpToolTestBase
{
    public static TheoryData<string> Formats => ["cities.csv", "areas.tsv", "rivers.geojson", "places.kml", "places.kmz", "ride.gpx", "parcels.zip", "transit.gpkg"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Each_format_becomes_layers_with_its_features_bbox_and_columns_that_the_agent_can_describe(string fileName)
    {
        var file = ImportFiles.Named(fileName);

        var (status, result) = await UploadAsync(Session, file.Name, file.Bytes);

        Assert.True(status == HttpStatusCode.Created, $"{status}: {result}");
        var layers = result.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(file.Features, layers.Sum(l => l.GetProperty("features").GetInt32()));
        var bbox = Union(layers.Select(l => l.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray()));
        for (var i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(bbox[i] - file.Bbox[i]) < 1e-4, $"bbox[{i}] is {bbox[i]}, expected {file.Bbox[i]} ({string.Join(", ", bbox)})");
        }

        Assert.Contains(layers, l => l.GetProperty("geometryTypes").TryGetProperty(file.GeometryType, out _));

        // The agent learns of it without the bytes: history, list_layers, describe_layer.
        var history = await CallAsync("get_history", new { session_id = Session });
        Assert.Equal("import_file", history.GetProperty("changes").EnumerateArray().Last().GetProperty("op").GetString());
        var listed = (await CallAsync("list_layers", new { session_id = Session })).GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("layer_id").GetString()).ToList();
        var described = new HashSet<string>();
        foreach (var layer in layers)
        {
            var id = layer.GetProperty("layerId").GetString()!;
            Assert.Contains(id, listed);
            var description = await CallAsync("describe_layer", new { session_id = Session, layer_id = id });
            Assert.Equal(layer.GetProperty("features").GetInt32(), description.GetProperty("features").GetInt32());
            described.UnionWith(description.GetProperty("properties").EnumerateArray().Select(p => p.GetProperty("name").GetString()!));
        }

        Assert.Superset(file.Columns.ToHashSet(), described);
        var state = await StoredStateAsync();
        Assert.DoesNotContain("FeatureCollection", state.GetRawText(), StringComparison.Ordinal); // the data lives beside the state
    }

    [Fact]
    public async Task Csv_cells_are_typed_by_column_so_codes_keep_their_leading_zeros()
    {
        await UploadAsync(Session, "cities.csv", ImportFiles.CitiesCsv.Bytes);

        var geoJson = await ExportAsync(Session, "cities", "geojson");
        var paris = JsonDocument.Parse(geoJson).RootElement.GetProperty("features")[0].GetProperty("properties");
        Assert.Equal(2102650, paris.GetProperty("population").GetDouble());
        Assert.Equal("075", paris.GetProperty("code").GetString());
        Assert.Equal("0300-01-01", paris.GetProperty("founded").GetString());
        Assert.Equal("Marseille, the old port", JsonDocument.Parse(geoJson).RootElement.GetProperty("features")[2].GetProperty("properties").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Imported_layers_get_a_default_style_for_their_geometry_and_take_every_style_tool()
    {
        await UploadAsync(Session, "cities.csv", ImportFiles.CitiesCsv.Bytes);
        await UploadAsync(Session, "areas.tsv", ImportFiles.AreasTsv.Bytes);

        var layers = (await CallAsync("list_layers", new { session_id = Session })).GetProperty("layers").EnumerateArray().ToDictionary(l => l.GetProperty("layer_id").GetString()!);
        Assert.Equal(["circle"], layers["cities"].GetProperty("style_layers").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        Assert.Equal(["fill", "line"], layers["areas"].GetProperty("style_layers").EnumerateArray().Select(s => s.GetProperty("type").GetString()));
        var styled = await CallAsync("style_layer_by_property", new { session_id = Session, layer_id = "cities", property = "population", classes = 3 });
        Assert.Equal("quantile", styled.GetProperty("method").GetString());
        await CallAsync("filter_layer", new { session_id = Session, layer_id = "cities", filter = JsonDocument.Parse("""[">", ["get", "population"], 500000]""").RootElement });
    }

    [Fact]
    public async Task Import_file_tool_takes_base64_content_and_gives_the_same_layer_without_returning_the_data()
    {
        var result = await CallAsync("import_file", new { session_id = Session, file_name = "ride.gpx", content_base64 = Convert.ToBase64String(ImportFiles.RideGpx.Bytes), layer_id = "ride", title = "Morning ride" });

        var layer = Assert.Single(result.GetProperty("layers").EnumerateArray());
        Assert.Equal(("ride", "Morning ride", 3), (layer.GetProperty("layer_id").GetString(), layer.GetProperty("title").GetString(), layer.GetProperty("features").GetInt32()));
        Assert.DoesNotContain("48.86", result.GetRawText(), StringComparison.Ordinal); // a track point: the data stays on the server

        var neither = await RejectedAsync("import_file", new { session_id = Session, file_name = "x.csv" });
        Assert.Contains("exactly one of content_base64", neither, StringComparison.Ordinal);
        var notBase64 = await RejectedAsync("import_file", new { session_id = Session, file_name = "x.csv", content_base64 = "not base64!" });
        Assert.Contains("not valid base64", notBase64, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_import_link_imports_without_revealing_the_session_id_and_a_view_link_cannot_import()
    {
        var link = await CallAsync("get_import_link", new { session_id = Session });
        var importToken = link.GetProperty("import_url").GetString()!.Split('/')[^1];
        var created = await CallAsync("create_map_session", new { });
        var viewToken = created.GetProperty("viewer_url").GetString()!.Split('/')[^1];
        Assert.StartsWith("i", importToken, StringComparison.Ordinal);

        var (status, result) = await UploadAsync(importToken, "cities.csv", ImportFiles.CitiesCsv.Bytes);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(importToken, result.GetProperty("sessionId").GetString());
        Assert.DoesNotContain(Session, result.GetRawText(), StringComparison.Ordinal);
        Assert.True((await StoredStateAsync()).GetProperty("layers").TryGetProperty("cities", out _));

        var otherSession = created.GetProperty("session_id").GetString()!;
        var before = await RawStateAsync(otherSession);
        var (refused, error) = await UploadAsync(viewToken, "cities.csv", ImportFiles.CitiesCsv.Bytes);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("get_import_link", error.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await RawStateAsync(otherSession));

        // The import link opens the map (its stream and data) but drives nothing else.
        var notATool = await RejectedAsync("remove_layer", new { session_id = importToken, layer_id = "cities" });
        Assert.Contains("not a map session id", notATool, StringComparison.Ordinal);
        using var http = Api.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/sessions/{importToken}", Token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/sessions/{importToken}/layers/cities/export?format=csv", Token)).StatusCode);
    }

    public static TheoryData<string, string, string, HttpStatusCode> BadFiles => new()
    {
        { "no coordinates.csv", "name,city,value\nA,Paris,1\n", "'name', 'city', 'value'", HttpStatusCode.BadRequest },
        { "text.gpkg", "lat,lon\n1,2\n", "is named as a GeoPackage", HttpStatusCode.BadRequest },
        { "not a zip.zip", "lat,lon\n1,2\n", "is named as a zip", HttpStatusCode.BadRequest },
        { "program.exe", "MZ", "not a file type this server imports", HttpStatusCode.UnsupportedMediaType },
        { "empty.csv", "", "is empty", HttpStatusCode.BadRequest },
        { "bad wkt.csv", "id,wkt\n1,POINT (1 2)\n2,LINESTRING (1 1\n", "row 2", HttpStatusCode.BadRequest },
        { "swapped.csv", "lon,lat\n2.35,48.85\n48.85,123.4\n", "feature 2", HttpStatusCode.BadRequest },
        { "words.csv", "lon,lat\n2.35,48.85\neast,48.85\n", "'east' in column 'lon' is not a number", HttpStatusCode.BadRequest },
        { "broken.geojson", """{"type":"FeatureCollection","features":[""", "not valid JSON", HttpStatusCode.BadRequest },
        { "other.json", """{"name":"not geo"}""", "not GeoJSON", HttpStatusCode.BadRequest },
        { "broken.kml", "<kml><Document><Placemark><name>a</Placemark>", "not well-formed KML", HttpStatusCode.BadRequest },
        { "ring.kml", "<kml><Placemark><Polygon><outerBoundaryIs><LinearRing><coordinates>1,1 2,2</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>", "feature 1 of ring has an invalid Polygon", HttpStatusCode.BadRequest },
        { "nothing.geojson", """{"type":"FeatureCollection","features":[]}""", "holds no features", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Bad_files_are_refused_with_a_clear_error_and_nothing_is_stored(string fileName, string content, string expected, HttpStatusCode expectedStatus)
    {
        await AssertRefusedAsync(fileName, Encoding.UTF8.GetBytes(content), expected, expectedStatus);
    }

    [Fact]
    public async Task Zips_without_a_complete_shapefile_are_refused_with_what_they_hold()
    {
        await AssertRefusedAsync("photos.zip", ImportFiles.Zip(("a.jpg", [1, 2, 3])), "no .shp inside; it holds a.jpg", HttpStatusCode.BadRequest);
        await AssertRefusedAsync("roads.zip", ImportFiles.Zip(("roads.shp", [0, 0, 39, 10]), ("roads.shx", [0])), "lacks its .dbf", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_layer_id_already_on_the_map_is_refused_before_converting()
    {
        await UploadAsync(Session, "cities.csv", ImportFiles.CitiesCsv.Bytes);

        await AssertRefusedAsync("cities.csv", ImportFiles.CitiesCsv.Bytes, "layer 'cities' already exists", HttpStatusCode.BadRequest, layerId: "cities");
        var (_, again) = await UploadAsync(Session, "cities.csv", ImportFiles.CitiesCsv.Bytes); // without an id: a fresh one
        Assert.Equal("cities-2", again.GetProperty("layers")[0].GetProperty("layerId").GetString());
    }

    [Fact]
    public async Task Invalid_polygons_are_repaired_and_reported()
    {
        var bowtie = "id,wkt\n1,\"POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))\"\n2,\"POLYGON ((5 5, 6 5, 6 6, 5 6, 5 5))\"\n";

        var (status, result) = await UploadAsync(Session, "bowtie.csv", Encoding.UTF8.GetBytes(bowtie));

        Assert.Equal(HttpStatusCode.Created, status);
        var warning = Assert.Single(result.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("1 invalid geometry was repaired (the first is feature 1)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_past_the_limits_are_refused_whole_zip_bombs_included()
    {
        await using var api = new ApiInstance(Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["MapServer:Imports:MaxFileBytes"] = "20000",
            ["MapServer:Imports:MaxFeatures"] = "4",
            ["MapServer:Imports:MaxExpandedBytes"] = "100000",
        });

        await AssertRefusedAsync("big.csv", Encoding.UTF8.GetBytes("lon,lat\n" + string.Concat(Enumerable.Repeat("1,1\n", 6000))), "larger than 20,000 bytes", HttpStatusCode.RequestEntityTooLarge, api: api);
        await AssertRefusedAsync("cities.csv", ImportFiles.CitiesCsv.Bytes, "more than 4 features", HttpStatusCode.RequestEntityTooLarge, api: api);
        var bomb = ImportFiles.Zip(("doc.kml", Encoding.UTF8.GetBytes("<kml>" + new string(' ', 5_000_000) + "</kml>")));
        Assert.True(bomb.Length < 20000, $"the bomb is {bomb.Length} bytes");
        await AssertRefusedAsync("bomb.kmz", bomb, "expands to more than 100,000 bytes", HttpStatusCode.RequestEntityTooLarge, api: api);
    }

    [Fact]
    public async Task Layers_export_as_geojson_and_csv_and_the_csv_imports_back_the_same()
    {
        await UploadAsync(Session, "cities.csv", ImportFiles.CitiesCsv.Bytes);
        await UploadAsync(Session, "areas.tsv", ImportFiles.AreasTsv.Bytes);

        var csv = await ExportAsync(Session, "cities", "csv");
        Assert.StartsWith("longitude,latitude,name,population,founded,code\n2.3522,48.8566,Paris,2102650,0300-01-01,075", csv.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"Marseille, the old port\"", csv, StringComparison.Ordinal);
        var wkt = await ExportAsync(Session, "areas", "csv");
        Assert.StartsWith("wkt,id,kind\n\"POLYGON ((2.3 48.85, ", wkt.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var (_, again) = await UploadAsync(Session, "cities.csv", Encoding.UTF8.GetBytes(csv));
        Assert.Equal(
            await ExportAsync(Session, "cities", "geojson"),
            await ExportAsync(Session, again.GetProperty("layers")[0].GetProperty("layerId").GetString()!, "geojson"));

        using var http = Api.CreateHttpClient();
        var missing = await http.GetAsync($"/sessions/{Session}/layers/nope/export?format=csv", Token);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var badFormat = await http.GetAsync($"/sessions/{Session}/layers/cities/export?format=xlsx", Token);
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        var download = await http.GetAsync($"/sessions/{Session}/layers/cities/export?format=geojson", Token);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
    }

    [Fact]
    public async Task Url_imports_refuse_private_addresses_and_fetch_public_files_with_a_size_limit()
    {
        var (server, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/data/cities.csv", () => Results.Bytes(ImportFiles.CitiesCsv.Bytes, "text/csv"));
            app.MapGet("/data/huge.csv", () => Results.Bytes(new byte[30_000], "text/csv"));
        }, Token);
        await using var _ = server;

        await using (var httpAllowed = new ApiInstance(Redis.ConnectionString, new Dictionary<string, string?> { ["MapServer:Sources:AllowHttp"] = "true" }))
        {
            await using var publicOnly = await httpAllowed.CreateMcpClientAsync(Token);
            var refused = await RejectedAsync("import_file", new { session_id = Session, url = $"{address}/data/cities.csv" }, agent: publicOnly);
            Assert.Contains("loopback, private", refused, StringComparison.Ordinal); // production rules: no private hosts
        }

        // The connection itself is checked too: a name that resolves inward is refused whatever it looks like.
        using var guarded = new HttpClient(ImportDownloads.Handler(allowPrivate: false));
        var inward = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), Token));
        Assert.Contains("private, loopback or link-local", inward.Message, StringComparison.Ordinal);

        await using var operatorAllowed = new ApiInstance(Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["MapServer:Sources:AllowHttp"] = "true",
            ["MapServer:Sources:AllowPrivateHosts"] = "true",
            ["MapServer:Imports:MaxFileBytes"] = "20000",
        });
        await using var agent = await operatorAllowed.CreateMcpClientAsync(Token);
        var fetched = await CallAsync("import_file", new { session_id = Session, url = $"{address}/data/cities.csv" }, agent);
        Assert.Equal(5, fetched.GetProperty("layers")[0].GetProperty("features").GetInt32());
        var tooLarge = await RejectedAsync("import_file", new { session_id = Session, url = $"{address}/data/huge.csv" }, agent: agent);
        Assert.Contains("larger than 20,000 bytes", tooLarge, StringComparison.Ordinal);
    }

    private async Task AssertRefusedAsync(string fileName, byte[] content, string expected, HttpStatusCode expectedStatus, string? layerId = null, ApiInstance? api = null)
    {
        var before = await RawStateAsync();
        var keysBefore = await DataKeysAsync();

        var (status, error) = await UploadAsync(Session, fileName, content, layerId, api);

        Assert.True(status == expectedStatus, $"{fileName}: {status} {error}");
        var message = error.GetProperty("error").GetString()!;
        Assert.Contains(expected, message, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Nothing was imported.", message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("hint").GetString()));
        Assert.Equal(before, await RawStateAsync());
        Assert.Equal(keysBefore, await DataKeysAsync());
    }

    private async Task<string[]> DataKeysAsync()
    {
        var server = RedisClient.GetServers()[0];
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: $"{{map_state:{Session}}}:data:*"))
        {
            keys.Add(key.ToString());
        }

        return [.. keys.Order(StringComparer.Ordinal)];
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string session, string fileName, byte[] content, string? layerId = null, ApiInstance? api = null)
    {
        using var http = (api ?? Api).CreateHttpClient();
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var query = $"name={Uri.EscapeDataString(fileName)}{(layerId is null ? "" : $"&layer_id={Uri.EscapeDataString(layerId)}")}";
        using var response = await http.PostAsync($"/sessions/{session}/imports?{query}", body, Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<string> ExportAsync(string session, string layerId, string format)
    {
        using var http = Api.CreateHttpClient();
        return await http.GetStringAsync($"/sessions/{session}/layers/{layerId}/export?format={format}", Token);
    }

    private static double[] Union(IEnumerable<double[]> boxes)
    {
        var all = boxes.ToList();
        return [all.Min(b => b[0]), all.Min(b => b[1]), all.Max(b => b[2]), all.Max(b => b[3])];
    }
}
