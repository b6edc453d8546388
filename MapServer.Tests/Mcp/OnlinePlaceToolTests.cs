using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MapServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Mcp;

/// <summary>
/// geocode and reverse_geocode with an online geocoder configured: a fake Nominatim or Photon on loopback (real HTTP)
/// answers first; whenever it fails or finds nothing, the offline gazetteer answers with a note that says so; the
/// process-wide rate limit spaces the requests; unconfigured, no request is sent at all.
/// </summary>
[Trait("Tier", "App")]
public sealed class OnlinePlaceToolTests
{
    private const string UserAgent = "MapServer-tests/1.0 (test suite; ops@example.org)";

    private const string NominatimSearch = """
        [
          {"place_id": 88066702, "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright", "osm_type": "relation", "osm_id": 7444,
           "lat": "48.8534951", "lon": "2.3483915", "category": "boundary", "type": "administrative", "place_rank": 12, "importance": 0.88,
           "addresstype": "city", "name": "Paris", "display_name": "Paris, Île-de-France, France métropolitaine, France",
           "address": {"city": "Paris", "ISO3166-2-lvl6": "FR-75", "state": "Île-de-France", "country": "France", "country_code": "fr"},
           "extratags": {"capital": "yes", "population": "2165423", "wikidata": "Q90"},
           "boundingbox": ["48.8155755", "48.9021560", "2.2241220", "2.4697602"]},
          {"place_id": 1, "lat": "33.6617962", "lon": "-95.555513", "category": "place", "type": "town", "addresstype": "town", "name": "Paris",
           "display_name": "Paris, Lamar County, Texas, United States",
           "address": {"town": "Paris", "county": "Lamar County", "state": "Texas", "country": "United States", "country_code": "us"},
           "boundingbox": ["33.6118", "33.7383", "-95.6279", "-95.4559"]},
          {"place_id": 2, "lat": 46.2, "lon": 6.1, "category": "highway", "type": "residential", "addresstype": "road", "name": "",
           "display_name": "Rue de Paris, Genève, Schweiz/Suisse/Svizzera/Svizra",
           "address": {"road": "Rue de Paris", "country": "Schweiz/Suisse/Svizzera/Svizra", "country_code": "ch"}},
          {"place_id": 3, "name": "a place without a position"}
        ]
        """;

    private const string NominatimReverse = """
        {"place_id": 4, "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright", "osm_type": "way",
         "lat": "48.8606", "lon": "2.3376", "category": "highway", "type": "primary", "place_rank": 26, "addresstype": "road", "name": "Rue de Rivoli",
         "display_name": "Rue de Rivoli, Paris 1er Arrondissement, Paris, Île-de-France, France métropolitaine, 75001, France",
         "address": {"road": "Rue de Rivoli", "city": "Paris", "postcode": "75001", "country": "France", "country_code": "fr"},
         "boundingbox": ["48.8598", "48.8612", "2.3353", "2.3399"]}
        """;

    private const string PhotonSearch = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.3888599, 52.5170365]},
           "properties": {"osm_type": "R", "osm_id": 62422, "osm_key": "place", "osm_value": "city", "type": "city", "name": "Berlin",
                          "countrycode": "DE", "country": "Deutschland", "extent": [13.088345, 52.6755087, 13.7611609, 52.3382448]}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1.8883335, 46.603354]},
           "properties": {"osm_key": "place", "osm_value": "country", "type": "country", "name": "France", "countrycode": "FR",
                          "extent": [-178.3873749, 51.3055721, 172.3057007, -50.2187169]}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.3807, 52.517]},
           "properties": {"osm_key": "building", "osm_value": "yes", "type": "house", "street": "Unter den Linden", "housenumber": "77",
                          "postcode": "10117", "city": "Berlin", "countrycode": "DE", "country": "Deutschland"}}
        ]}
        """;

    private const string PhotonReverse = """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.377704, 52.516275]},
           "properties": {"osm_key": "tourism", "osm_value": "attraction", "type": "house", "name": "Brandenburger Tor", "street": "Pariser Platz",
                          "city": "Berlin", "countrycode": "DE", "country": "Deutschland"}},
          {"type": "Feature", "geometry": {"type": "Point", "coordinates": [13.3791, 52.5163]},
           "properties": {"osm_key": "highway", "osm_value": "pedestrian", "type": "street", "name": "Pariser Platz", "city": "Berlin",
                          "countrycode": "DE", "country": "Deutschland", "extent": [13.3776, 52.5166, 13.3803, 52.516]}}
        ]}
        """;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nominatim_answers_geocode_first_with_kind_country_population_box_and_address_mapped()
    {
        await using var nominatim = await FakeGeocoder.StartAsync(context => JsonAsync(context, NominatimSearch), Token);
        await using var api = new ApiInstance(null, Settings("Nominatim", nominatim.Address));
        await using var agent = await api.CreateMcpClientAsync(Token);

        var answer = await CallAsync(agent, "geocode", new { query = "Paris" });

        Assert.Equal("nominatim", answer.GetProperty("source").GetString());
        Assert.Contains("OpenStreetMap", answer.GetProperty("attribution").GetString(), StringComparison.Ordinal);
        Assert.Contains("ODbL", answer.GetProperty("attribution").GetString(), StringComparison.Ordinal);
        Assert.False(answer.TryGetProperty("note", out _));
        var matches = Matches(answer);
        Assert.Equal(3, matches.Count); // the place without a position is left out

        var paris = matches[0];
        Assert.Equal(("Paris", "capital", "FR", "France", 2165423L), (Text(paris, "name"), Text(paris, "kind"), Text(paris, "country"), Text(paris, "country_name"), paris.GetProperty("population").GetInt64()));
        Assert.Equal([2.3483915, 48.8534951], Numbers(paris.GetProperty("coordinates")));
        Assert.Equal([2.224122, 48.8155755, 2.4697602, 48.902156], Numbers(paris.GetProperty("bbox"))); // [west, south, east, north] from [south, north, west, east]
        Assert.Equal("Paris, Île-de-France, France métropolitaine, France", Text(paris, "address"));

        var texas = matches[1];
        Assert.Equal(("town", "US", "United States", 0L), (Text(texas, "kind"), Text(texas, "country"), Text(texas, "country_name"), texas.GetProperty("population").GetInt64()));
        Assert.Equal([-95.6279, 33.6118, -95.4559, 33.7383], Numbers(texas.GetProperty("bbox")));

        var road = matches[2]; // no name: the address's first part; the gazetteer's English country name
        Assert.Equal(("Rue de Paris", "road", "CH", "Switzerland"), (Text(road, "name"), Text(road, "kind"), Text(road, "country"), Text(road, "country_name")));
        Assert.Equal([6.1, 46.2], Numbers(road.GetProperty("coordinates")));
        Assert.False(road.TryGetProperty("bbox", out _));

        var request = Assert.Single(nominatim.Requests);
        Assert.Equal("/search", request.Path);
        var query = QueryHelpers.ParseQuery(request.Query);
        Assert.Equal(("Paris", "jsonv2", "5", "1"), (query["q"].ToString(), query["format"].ToString(), query["limit"].ToString(), query["addressdetails"].ToString()));
    }

    [Fact]
    public async Task Nominatim_answers_reverse_geocode_with_the_place_at_the_point_its_distance_and_the_country_it_lies_in()
    {
        await using var nominatim = await FakeGeocoder.StartAsync(context => JsonAsync(context, NominatimReverse), Token);
        await using var api = new ApiInstance(null, Settings("Nominatim", nominatim.Address + "/nominatim/")); // a base path, with a trailing slash
        await using var agent = await api.CreateMcpClientAsync(Token);

        var answer = await CallAsync(agent, "reverse_geocode", new { longitude = 2.3372, latitude = 48.8606 });

        Assert.Equal("nominatim", answer.GetProperty("source").GetString());
        var rivoli = Assert.Single(Matches(answer));
        Assert.Equal(("Rue de Rivoli", "road", "FR"), (Text(rivoli, "name"), Text(rivoli, "kind"), Text(rivoli, "country")));
        Assert.InRange(rivoli.GetProperty("distance_km").GetDouble(), 0, 0.1);
        Assert.StartsWith("Rue de Rivoli, Paris 1er", Text(rivoli, "address"), StringComparison.Ordinal);
        var within = answer.GetProperty("within");
        Assert.Equal(("France", "country", "FR"), (Text(within, "name"), Text(within, "kind"), Text(within, "country")));

        var request = Assert.Single(nominatim.Requests);
        Assert.Equal("/nominatim/reverse", request.Path);
        var query = QueryHelpers.ParseQuery(request.Query);
        Assert.Equal(("2.3372", "48.8606", "jsonv2"), (query["lon"].ToString(), query["lat"].ToString(), query["format"].ToString()));
    }

    [Fact]
    public async Task Photon_answers_first_with_its_extent_as_the_box_and_its_nearest_places_in_reverse()
    {
        await using var photon = await FakeGeocoder.StartAsync(context => JsonAsync(context, context.Request.Path == "/api" ? PhotonSearch : PhotonReverse), Token);
        await using var api = new ApiInstance(null, Settings("Photon", photon.Address));
        await using var agent = await api.CreateMcpClientAsync(Token);

        var found = await CallAsync(agent, "geocode", new { query = "Berlin", limit = 3 });
        var near = await CallAsync(agent, "reverse_geocode", new { longitude = 13.3777, latitude = 52.5163, limit = 2 });

        Assert.Equal("photon", found.GetProperty("source").GetString());
        Assert.Contains("OpenStreetMap", found.GetProperty("attribution").GetString(), StringComparison.Ordinal);
        var (berlin, france, house) = (Matches(found)[0], Matches(found)[1], Matches(found)[2]);
        Assert.Equal(("Berlin", "city", "DE", "Germany"), (Text(berlin, "name"), Text(berlin, "kind"), Text(berlin, "country"), Text(berlin, "country_name")));
        Assert.Equal([13.3888599, 52.5170365], Numbers(berlin.GetProperty("coordinates")));
        Assert.Equal([13.088345, 52.3382448, 13.7611609, 52.6755087], Numbers(berlin.GetProperty("bbox"))); // [west, south, east, north] from [west, north, east, south]
        Assert.Equal(("France", "country", "FR"), (Text(france, "name"), Text(france, "kind"), Text(france, "country")));
        var box = Numbers(france.GetProperty("bbox")); // its main land's, as offline, not the extent of all its territories
        Assert.True(box[0] > -6 && box[1] > 41 && box[2] < 10 && box[3] < 52 && box[0] < -4 && box[3] > 50, $"France's box [{string.Join(", ", box)}]");
        Assert.Equal(("Unter den Linden 77", "house", "Unter den Linden 77, 10117 Berlin, Deutschland"), (Text(house, "name"), Text(house, "kind"), Text(house, "address")));

        Assert.Equal("photon", near.GetProperty("source").GetString());
        Assert.Equal(["Brandenburger Tor", "Pariser Platz"], Matches(near).Select(m => Text(m, "name")));
        Assert.Equal(["attraction", "pedestrian"], Matches(near).Select(m => Text(m, "kind")));
        Assert.All(Matches(near), m => Assert.InRange(m.GetProperty("distance_km").GetDouble(), 0, 0.5));
        Assert.Equal("DE", Text(near.GetProperty("within"), "country"));

        Assert.Equal(["/api", "/reverse"], photon.Requests.Select(r => r.Path));
        var (search, reverse) = (QueryHelpers.ParseQuery(photon.Requests[0].Query), QueryHelpers.ParseQuery(photon.Requests[1].Query));
        Assert.Equal(("Berlin", "3"), (search["q"].ToString(), search["limit"].ToString()));
        Assert.Equal(("13.3777", "52.5163", "2"), (reverse["lon"].ToString(), reverse["lat"].ToString(), reverse["limit"].ToString()));
    }

    [Fact]
    public async Task Requests_carry_the_configured_user_agent_and_the_query_url_encoded()
    {
        const string Awkward = "Rue de l'Église & Co #2, São Paulo + 100%";
        await using var nominatim = await FakeGeocoder.StartAsync(context => JsonAsync(context, NominatimSearch), Token);
        await using var api = new ApiInstance(null, Settings("Nominatim", nominatim.Address));
        await using var agent = await api.CreateMcpClientAsync(Token);

        await CallAsync(agent, "geocode", new { query = Awkward });

        var request = Assert.Single(nominatim.Requests);
        Assert.Equal(UserAgent, request.UserAgent);
        Assert.Equal(Awkward, QueryHelpers.ParseQuery(request.Query)["q"].ToString()); // '&', '#', '+' and '%' did not cut or change it
        Assert.Contains("q=Rue%20de%20l%27%C3%89glise%20%26%20Co%20%232%2C%20S%C3%A3o%20Paulo%20%2B%20100%25&", request.Query, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Failures => new()
    {
        { "down", "could not be reached" },
        { "slow", "did not answer within 1 s" },
        { "500", "answered HTTP 500" },
        { "429", "answered HTTP 429; it is left alone for 120 s" },
        { "junk", "not the JSON" },
        { "too large", "more than 1 MiB" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Failures))]
    public async Task A_failing_provider_leaves_the_answer_to_the_offline_gazetteer_with_a_note_and_is_left_alone_a_while(string failure, string said)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var nominatim = await FakeGeocoder.StartAsync(context => Fail(context, failure, release.Task), Token);
        var url = failure == "down" ? await FakeGeocoder.ClosedAddressAsync(Token) : nominatim.Address;
        await using var api = new ApiInstance(null, Settings("Nominatim", url, ("Timeout", "00:00:01")));
        await using var agent = await api.CreateMcpClientAsync(Token);
        try
        {
            var first = await CallAsync(agent, "geocode", new { query = "Paris" });
            var second = await CallAsync(agent, "geocode", new { query = "Lyon" });

            Assert.Equal("offline gazetteer", first.GetProperty("source").GetString());
            Assert.False(first.TryGetProperty("attribution", out _));
            var paris = Matches(first)[0];
            Assert.Equal(("Paris", "capital", "FR"), (Text(paris, "name"), Text(paris, "kind"), Text(paris, "country")));
            Assert.StartsWith("nominatim ", Text(first, "note"), StringComparison.Ordinal);
            Assert.Contains(said, Text(first, "note"), StringComparison.Ordinal);
            Assert.Contains("offline gazetteer answered instead", Text(first, "note"), StringComparison.Ordinal);

            Assert.Equal("Lyon", Text(Matches(second)[0], "name"));
            Assert.Contains("nominatim is left alone for", Text(second, "note"), StringComparison.Ordinal);
            Assert.Equal(failure == "down" ? 0 : 1, nominatim.Count); // no retry, and nothing while it is left alone
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task A_provider_that_finds_nothing_leaves_the_answer_to_the_offline_gazetteer_with_a_note()
    {
        await using var nominatim = await FakeGeocoder.StartAsync(
            context => JsonAsync(context, context.Request.Path == "/reverse" ? """{"error": "Unable to geocode"}""" : "[]"), Token);
        await using var api = new ApiInstance(null, Settings("Nominatim", nominatim.Address));
        await using var agent = await api.CreateMcpClientAsync(Token);

        var found = await CallAsync(agent, "geocode", new { query = "Zurich" });
        var atSea = await CallAsync(agent, "reverse_geocode", new { longitude = -35.0, latitude = 30.0 });

        Assert.Equal("offline gazetteer", found.GetProperty("source").GetString());
        Assert.Equal("Zürich", Text(Matches(found)[0], "name"));
        Assert.Equal("nominatim found no place by that name; the offline gazetteer answered instead.", Text(found, "note"));
        Assert.Equal("offline gazetteer", atSea.GetProperty("source").GetString());
        Assert.StartsWith("nominatim found nothing at this point; the offline gazetteer answered instead. At sea", Text(atSea, "note"), StringComparison.Ordinal);
        Assert.Equal(2, nominatim.Count); // finding nothing is an answer: the provider is not left alone for it
    }

    [Fact(Timeout = 60_000)]
    public async Task The_rate_limit_spaces_requests_and_calls_beyond_it_answer_offline_at_once()
    {
        await using var nominatim = await FakeGeocoder.StartAsync(context => JsonAsync(context, NominatimSearch), Token);
        await using var api = new ApiInstance(null, Settings("Nominatim", nominatim.Address, ("RequestsPerSecond", "1"), ("Timeout", "00:00:03")));
        await using var agent = await api.CreateMcpClientAsync(Token);

        var started = Stopwatch.StartNew();
        var burst = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => CallAsync(agent, "geocode", new { query = "Paris" })));
        var elapsed = started.Elapsed;
        var online = burst.Where(a => a.GetProperty("source").GetString() == "nominatim").ToList();
        var offline = burst.Where(a => a.GetProperty("source").GetString() == "offline gazetteer").ToList();

        Assert.Equal(6, online.Count + offline.Count);
        Assert.Equal(nominatim.Count, online.Count); // every request the provider got answered a call
        Assert.InRange(nominatim.Count, 1, 1 + (int)elapsed.TotalSeconds); // at most one a second (the first at once)
        Assert.NotEmpty(offline);
        Assert.All(offline, a => Assert.Matches("^nominatim (is busy|had no free turn)", Text(a, "note")));
        var arrivals = nominatim.Requests.Select(r => r.At).ToList();
        Assert.All(arrivals.Zip(arrivals.Skip(1)), pair => Assert.True(pair.Second - pair.First > TimeSpan.FromSeconds(0.5), $"requests {(pair.Second - pair.First).TotalMilliseconds:0} ms apart"));

        // The burst is over: a call waits its turn, if it must, and is answered online again.
        var after = await CallAsync(agent, "geocode", new { query = "Paris" });
        Assert.Equal("nominatim", after.GetProperty("source").GetString());
        Assert.Equal(online.Count + 1, nominatim.Count);
    }

    [Fact]
    public async Task Unconfigured_the_tools_send_no_request_and_describe_themselves_as_offline()
    {
        await using var nominatim = await FakeGeocoder.StartAsync(context => JsonAsync(context, NominatimSearch), Token);
        await using var api = new ApiInstance(null, new Dictionary<string, string?> { ["MapServer:Geocoding:Url"] = nominatim.Address, ["MapServer:Geocoding:UserAgent"] = UserAgent });
        await using var agent = await api.CreateMcpClientAsync(Token);

        var found = await CallAsync(agent, "geocode", new { query = "Paris" });
        var here = await CallAsync(agent, "reverse_geocode", new { longitude = 2.3522, latitude = 48.8566 });
        var tools = await agent.ListToolsAsync(cancellationToken: Token);

        Assert.Equal(0, nominatim.Count);
        Assert.Equal(("offline gazetteer", "offline gazetteer"), (found.GetProperty("source").GetString(), here.GetProperty("source").GetString()));
        Assert.False(found.TryGetProperty("note", out _));
        Assert.False(found.TryGetProperty("attribution", out _));
        Assert.Equal("Paris", Text(Matches(here)[0], "name"));
        Assert.All(tools.Where(t => t.Name is "geocode" or "reverse_geocode"), t =>
        {
            Assert.Contains(", offline:", t.ProtocolTool.Description, StringComparison.Ordinal);
            Assert.False(t.ProtocolTool.Annotations?.OpenWorldHint);
        });
    }

    [Fact]
    public async Task With_a_provider_the_place_tools_name_it_and_are_marked_open_world()
    {
        await using var api = new ApiInstance(null, Settings("Photon", "http://127.0.0.1:9"));
        await using var agent = await api.CreateMcpClientAsync(Token);

        var tools = (await agent.ListToolsAsync(cancellationToken: Token)).Where(t => t.Name is "geocode" or "reverse_geocode").ToList();

        Assert.Equal(2, tools.Count);
        Assert.All(tools, t =>
        {
            Assert.Contains("first from Photon (OpenStreetMap", t.ProtocolTool.Description, StringComparison.Ordinal);
            Assert.Contains("offline", t.ProtocolTool.Description, StringComparison.Ordinal);
            Assert.Contains("attribution", t.ProtocolTool.Description, StringComparison.Ordinal);
            Assert.True(t.ProtocolTool.Annotations?.OpenWorldHint);
        });
    }

    public static TheoryData<string, string, string?, string?, string> BadSettings => new()
    {
        { "Nominatim", "not a url", UserAgent, null, "MapServer:Geocoding:Url is 'not a url'" },
        { "Photon", "ftp://photon.example.org", UserAgent, null, "MapServer:Geocoding:Url" },
        { "Nominatim", "", UserAgent, null, "MapServer:Geocoding:Url" },
        { "Nominatim", "https://nominatim.openstreetmap.org", null, null, "set MapServer:Geocoding:UserAgent" },
        { "Nominatim", "https://nominatim.openstreetmap.org", UserAgent, "2", "at most 1 request a second" },
        { "Photon", "https://photon.example.org", UserAgent, "0", "MapServer:Geocoding:RequestsPerSecond is 0" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_provider_with_a_bad_url_or_settings_against_the_usage_policy_refuses_to_start(string provider, string url, string? userAgent, string? requestsPerSecond, string said)
    {
        var settings = new Dictionary<string, string?> { ["MapServer:Geocoding:Provider"] = provider, ["MapServer:Geocoding:Url"] = url };
        if (userAgent is not null)
        {
            settings["MapServer:Geocoding:UserAgent"] = userAgent;
        }

        if (requestsPerSecond is not null)
        {
            settings["MapServer:Geocoding:RequestsPerSecond"] = requestsPerSecond;
        }

        var refused = Record.Exception(() => new ApiInstance(null, settings));

        Assert.NotNull(refused);
        Assert.Contains("Refusing to start", refused.ToString(), StringComparison.Ordinal);
        Assert.Contains(said, refused.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(string provider, string url, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MapServer:Geocoding:Provider"] = provider,
            ["MapServer:Geocoding:Url"] = url,
            ["MapServer:Geocoding:UserAgent"] = UserAgent,
        };
        foreach (var (key, value) in more)
        {
            settings[$"MapServer:Geocoding:{key}"] = value;
        }

        return settings;
    }

    private static async Task Fail(HttpContext context, string failure, Task release)
    {
        switch (failure)
        {
            case "slow":
                await release.WaitAsync(context.RequestAborted);
                await JsonAsync(context, NominatimSearch);
                break;
            case "500":
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                break;
            case "429":
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "120";
                break;
            case "junk":
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Bandwidth limit exceeded</body></html>", context.RequestAborted);
                break;
            case "too large": // chunked, without a Content-Length: the reader has to stop by itself
                context.Response.ContentType = "application/json";
                var place = Encoding.UTF8.GetBytes("""{"lat": "48.85", "lon": "2.35", "name": "Paris", "display_name": "Paris, France"},""");
                await context.Response.WriteAsync("[", context.RequestAborted);
                for (var written = 0; written < 2 * 1024 * 1024; written += place.Length)
                {
                    await context.Response.Body.WriteAsync(place, context.RequestAborted);
                }

                await context.Response.WriteAsync("{}]", context.RequestAborted);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(failure), failure, "no such failure");
        }
    }

    private static Task JsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    private static async Task<JsonElement> CallAsync(McpClient agent, string tool, object arguments)
    {
        var result = await agent.CallToolAsync(tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments)), cancellationToken: Token);
        Assert.True(result.IsError is not true, $"{tool} failed: {string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text))}");
        return result.StructuredContent!.Value;
    }

    private static List<JsonElement> Matches(JsonElement answer) => [.. answer.GetProperty("matches").EnumerateArray()];

    private static string? Text(JsonElement element, string name) => element.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetDouble())];
}
