using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Mcp;

/// <summary>A layer's GeoJSON lives beside the state, not in it: stored once, served by URL, kept with the session.</summary>
[Trait("Tier", "App")]
public sealed class LayerDataToolTests : McpToolTestBase
{
    private static object Points(int count) => new
    {
        type = "geojson",
        data = new
        {
            type = "FeatureCollection",
            features = Enumerable.Range(0, count).Select(i => new
            {
                type = "Feature",
                geometry = new { type = "Point", coordinates = new[] { i % 360 - 180.0, i % 170 - 85.0 } },
                properties = new { name = $"point {i}", value = i },
            }),
        },
    };

    private async Task<string> DataUrlAsync(string layerId, string? session = null) =>
        (await StoredStateAsync(session)).GetProperty("layers").GetProperty(layerId).GetProperty("source").GetProperty("data").GetString()!;

    private HttpClient RawHttp() => new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = Api.BaseAddress };

    [Fact]
    public async Task Describe_layer_summarises_stored_geojson_without_returning_it()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(500) });

        var description = await CallAsync("describe_layer", new { session_id = Session, layer_id = "points", top_values = 3 });

        Assert.Equal(500, description.GetProperty("features").GetInt32());
        Assert.Equal(500, description.GetProperty("geometry_types").GetProperty("Point").GetInt32());
        Assert.Equal([-180.0, -85, 179, 84], description.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()));
        var value = description.GetProperty("properties").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "value");
        Assert.Equal((0.0, 499.0, 500), (value.GetProperty("min").GetDouble(), value.GetProperty("max").GetDouble(), value.GetProperty("distinct").GetInt32()));
        Assert.Equal(3, value.GetProperty("top_values").GetArrayLength());
        Assert.DoesNotContain("point 17", description.GetRawText(), StringComparison.Ordinal); // top 3 of 500 unique names only
    }

    [Fact]
    public async Task Style_layer_by_property_colours_every_style_layer_from_the_data_in_one_undoable_change()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(400) });

        var numeric = await CallAsync("style_layer_by_property", new { session_id = Session, layer_id = "points", property = "value", classes = 4 });
        Assert.Equal("quantile", numeric.GetProperty("method").GetString());
        Assert.Equal(["< 100", "100 – 200", "200 – 300", "≥ 300"], numeric.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("label").GetString()));
        var paint = (await StoredStateAsync()).GetProperty("layers").GetProperty("points").GetProperty("paint");
        foreach (var (styleLayer, property) in new[] { ("points-fill", "fill-color"), ("points-line", "line-color"), ("points-circle", "circle-color") })
        {
            Assert.Equal("""["step",["get","value"],"#fde725",100,"#4ac16d",200,"#365c8d",300,"#440154"]""", paint.GetProperty(styleLayer).GetProperty(property).GetRawText());
        }

        var categorical = await CallAsync("style_layer_by_property", new { session_id = Session, layer_id = "points", property = "name", method = "categorical", classes = 2, palette = "tableau10" });
        Assert.Equal(["point 0", "point 1", "Other"], categorical.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("label").GetString()));
        Assert.Equal("layer 'points' coloured by name", categorical.GetProperty("summary").GetString());

        await CallAsync("undo", new { session_id = Session });
        Assert.Equal("step", (await StoredStateAsync()).GetProperty("layers").GetProperty("points").GetProperty("paint").GetProperty("points-circle").GetProperty("circle-color")[0].GetString());

        Assert.Contains("sequential palette", await RejectedAsync("style_layer_by_property", new { session_id = Session, layer_id = "points", property = "value", palette = "okabe_ito" }), StringComparison.Ordinal);
        Assert.Contains("okabe_ito", await RejectedAsync("style_layer_by_property", new { session_id = Session, layer_id = "points", property = "value", palette = "rainbow" }), StringComparison.Ordinal);
        Assert.Contains("describe_layer", await RejectedAsync("style_layer_by_property", new { session_id = Session, layer_id = "points", property = "nope" }), StringComparison.Ordinal);
        Assert.Contains("classes", await RejectedAsync("style_layer_by_property", new { session_id = Session, layer_id = "points", property = "value", classes = 11 }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Describe_layer_says_why_when_it_cannot_read_the_data()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "tiles", source = new { type = "raster", tiles = new[] { "https://tiles.example.com/{z}/{x}/{y}.png" } } });
        await CallAsync("add_layer", new { session_id = Session, layer_id = "remote", source = new { type = "geojson", data = "https://data.example.com/parks.geojson" } });

        Assert.Contains("list_layers", await RejectedAsync("describe_layer", new { session_id = Session, layer_id = "nope" }), StringComparison.Ordinal);
        Assert.Contains("raster layer", await RejectedAsync("describe_layer", new { session_id = Session, layer_id = "tiles" }), StringComparison.Ordinal);
        Assert.Contains("Pass the GeoJSON itself", await RejectedAsync("describe_layer", new { session_id = Session, layer_id = "remote" }), StringComparison.Ordinal);
        Assert.Contains("top_values", await RejectedAsync("describe_layer", new { session_id = Session, layer_id = "remote", top_values = 51 }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inline_geojson_is_stored_beside_the_state_and_served_immutable_and_compressed()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(5_000) });

        var raw = await RawStateAsync();
        Assert.True(raw.Length < 2_000, $"map_state holds {raw.Length} bytes");
        var layer = (await StoredStateAsync()).GetProperty("layers").GetProperty("points");
        var url = layer.GetProperty("source").GetProperty("data").GetString()!;
        var sha = url[(url.LastIndexOf('/') + 1)..];
        Assert.Equal($"/sessions/{Session}/data/{sha}", url);
        Assert.Equal(5_000, layer.GetProperty("data").GetProperty("features").GetInt32());
        Assert.True(await RedisClient.GetDatabase().KeyExistsAsync($"{{map_state:{Session}}}:data:{sha}"));
        Assert.True(await RedisClient.GetDatabase().KeyTimeToLiveAsync($"{{map_state:{Session}}}:data:{sha}") > TimeSpan.FromDays(6));

        using var http = RawHttp();
        using var compressed = new HttpRequestMessage(HttpMethod.Get, url);
        compressed.Headers.AcceptEncoding.ParseAdd("gzip");
        using var gzipped = await http.SendAsync(compressed, Token);
        Assert.Equal(HttpStatusCode.OK, gzipped.StatusCode);
        Assert.Equal(["gzip"], gzipped.Content.Headers.ContentEncoding);
        Assert.Equal($"\"{sha}\"", gzipped.Headers.ETag?.Tag);
        Assert.Contains("immutable", gzipped.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var body = await gzipped.Content.ReadAsByteArrayAsync(Token);
        using var unzip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var geoJson = new MemoryStream();
        await unzip.CopyToAsync(geoJson, Token);
        Assert.True(body.Length < geoJson.Length / 3, $"{body.Length} bytes compressed of {geoJson.Length}");
        Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(geoJson.ToArray())));
        Assert.Equal(layer.GetProperty("data").GetProperty("bytes").GetInt64(), geoJson.Length);

        var plain = await http.GetByteArrayAsync(url, Token); // a client that does not accept gzip gets the same bytes
        Assert.Equal(geoJson.ToArray(), plain);
        Assert.Equal(5_000, JsonDocument.Parse(plain).RootElement.GetProperty("features").GetArrayLength());

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, url);
        revalidate.Headers.IfNoneMatch.ParseAdd($"\"{sha}\"");
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(revalidate, Token)).StatusCode);
    }

    [Fact]
    public async Task A_viewer_snapshot_carries_the_data_url_not_the_data()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(5_000) });

        using var http = RawHttp();
        using var response = await http.GetAsync($"/events?session={Session}", HttpCompletionOption.ResponseHeadersRead, Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Token));
        string? line;
        while ((line = await reader.ReadLineAsync(Token)) is not null && !line.StartsWith("data:", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line);
        Assert.True(line.Length < 2_000, $"the snapshot is {line.Length} bytes");
        Assert.Contains(await DataUrlAsync("points"), line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_map_state_inlines_the_geojson_only_when_asked()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(30) });

        var small = await CallAsync("get_map_state", new { session_id = Session });
        Assert.Equal(JsonValueKind.String, small.GetProperty("layers").GetProperty("points").GetProperty("source").GetProperty("data").ValueKind);
        var full = await CallAsync("get_map_state", new { session_id = Session, omit_geojson = false });
        Assert.Equal(30, full.GetProperty("layers").GetProperty("points").GetProperty("source").GetProperty("data").GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Undo_of_a_layer_removal_brings_back_the_layer_and_its_data()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(100) });
        var url = await DataUrlAsync("points");
        await CallAsync("remove_layer", new { session_id = Session, layer_id = "points" });
        await CallAsync("undo", new { session_id = Session });

        Assert.Equal(url, await DataUrlAsync("points"));
        using var http = RawHttp();
        Assert.Equal(100, JsonDocument.Parse(await http.GetByteArrayAsync(url, Token)).RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Export_gives_absolute_data_urls_and_import_elsewhere_copies_the_data()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(100) });
        var exported = await CallAsync("export_map", new { session_id = Session });
        var exportedUrl = exported.GetProperty("style").GetProperty("sources").GetProperty("points").GetProperty("data").GetString()!;
        Assert.StartsWith("http", exportedUrl, StringComparison.Ordinal);

        var copy = await CreateSessionAsync();
        await CallAsync("import_map", new { session_id = copy, style = exported.GetProperty("style") });
        var copiedUrl = await DataUrlAsync("points", copy);
        Assert.StartsWith($"/sessions/{copy}/data/", copiedUrl, StringComparison.Ordinal);
        Assert.EndsWith(exportedUrl[(exportedUrl.LastIndexOf('/') + 1)..], copiedUrl, StringComparison.Ordinal); // same bytes, same hash

        await CallAsync("clear_map", new { session_id = Session });
        await RedisClient.GetDatabase().KeyDeleteAsync($"{{map_state:{Session}}}:data:{exportedUrl[(exportedUrl.LastIndexOf('/') + 1)..]}");
        using var http = RawHttp();
        Assert.Equal(100, JsonDocument.Parse(await http.GetByteArrayAsync(copiedUrl, Token)).RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Data_over_the_layer_or_the_session_limit_is_refused_and_changes_nothing()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "first", source = Points(100) });
        var bytes = (await StoredStateAsync()).GetProperty("layers").GetProperty("first").GetProperty("data").GetProperty("bytes").GetInt64();
        await using var api = new ApiInstance(Redis.ConnectionString, new Dictionary<string, string?>
        {
            ["MapServer:MaxGeoJsonBytes"] = $"{bytes * 16 / 10}",
            ["MapServer:MaxSessionDataBytes"] = $"{bytes * 22 / 10}",
        });
        await using var agent = await api.CreateMcpClientAsync(Token);

        var perLayer = await RejectedAsync("add_layer", new { session_id = Session, layer_id = "big", source = Points(200) }, agent: agent);
        Assert.Contains("MaxGeoJsonBytes", perLayer, StringComparison.Ordinal);
        var perSession = await RejectedAsync("add_layer", new { session_id = Session, layer_id = "second", source = Points(140) }, agent: agent);
        Assert.Contains("MaxSessionDataBytes", perSession, StringComparison.Ordinal);
        Assert.Contains("remove_layer", perSession, StringComparison.Ordinal);

        await CallAsync("remove_layer", new { session_id = Session, layer_id = "first" }, agent);
        await CallAsync("add_layer", new { session_id = Session, layer_id = "second", source = Points(140) }, agent); // room again
    }

    [Fact]
    public async Task The_api_running_alone_without_redis_stores_and_serves_layer_data_in_memory()
    {
        await using var alone = new ApiInstance(redisConnectionString: null);
        await using var agent = await alone.CreateMcpClientAsync(Token);
        var session = (await CallAsync("create_map_session", new { }, agent)).GetProperty("session_id").GetString()!;
        await CallAsync("add_layer", new { session_id = session, layer_id = "points", source = Points(25) }, agent);

        var state = await CallAsync("get_map_state", new { session_id = session }, agent);
        var url = state.GetProperty("layers").GetProperty("points").GetProperty("source").GetProperty("data").GetString()!;
        using var http = alone.CreateHttpClient();
        Assert.Equal(25, JsonDocument.Parse(await http.GetByteArrayAsync(url, Token)).RootElement.GetProperty("features").GetArrayLength());
    }

    [Fact]
    public async Task Data_urls_of_another_session_or_an_unknown_hash_answer_404_json()
    {
        await CallAsync("add_layer", new { session_id = Session, layer_id = "points", source = Points(10) });
        var url = await DataUrlAsync("points");
        var sha = url[(url.LastIndexOf('/') + 1)..];
        var other = await CreateSessionAsync();

        using var http = RawHttp();
        foreach (var wrong in (string[])[$"/sessions/{other}/data/{sha}", $"/sessions/{Session}/data/{new string('0', 64)}", $"/sessions/{Session}/data/not-a-hash", $"/sessions/x/data/{sha}"])
        {
            using var response = await http.GetAsync(wrong, Token);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("holds no layer data", JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }
}
