using System.Text.Json;

namespace MapServer.Tests.Mcp;

/// <summary>geocode and reverse_geocode through a real MCP client, offline, from the gazetteer the api ships.</summary>
[Trait("Tier", "App")]
public sealed class PlaceToolTests : McpToolTestBase
{
    private static List<JsonElement> Matches(JsonElement result) => [.. result.GetProperty("matches").EnumerateArray()];

    [Fact]
    public async Task Geocode_finds_paris_at_its_coordinates_as_the_capital_of_france()
    {
        var paris = Matches(await CallAsync("geocode", new { query = "Paris" }))[0];

        Assert.Equal(("Paris", "capital", "FR", "France"), (paris.GetProperty("name").GetString(), paris.GetProperty("kind").GetString(), paris.GetProperty("country").GetString(), paris.GetProperty("country_name").GetString()));
        Assert.InRange(paris.GetProperty("coordinates")[0].GetDouble(), 2.30, 2.40);
        Assert.InRange(paris.GetProperty("coordinates")[1].GetDouble(), 48.82, 48.90);
    }

    [Fact]
    public async Task Geocode_ranks_many_springfields_by_population_and_narrows_by_country()
    {
        var all = Matches(await CallAsync("geocode", new { query = "springfield", limit = 10 }));
        Assert.True(all.Count >= 5, $"{all.Count} Springfields");
        Assert.All(all, m => Assert.Equal("Springfield", m.GetProperty("name").GetString()));
        var populations = all.Select(m => m.GetProperty("population").GetInt64()).ToList();
        Assert.Equal(populations.OrderDescending(), populations);

        var australian = Matches(await CallAsync("geocode", new { query = "Springfield, Australia", limit = 10 }));
        Assert.NotEmpty(australian);
        Assert.All(australian, m => Assert.Equal("AU", m.GetProperty("country").GetString()));
    }

    [Fact]
    public async Task Geocode_puts_a_country_first_and_ignores_accents_and_case()
    {
        var france = Matches(await CallAsync("geocode", new { query = "france" }))[0];
        Assert.Equal("country", france.GetProperty("kind").GetString());
        // The box of its main land, not of its overseas departments.
        var box = france.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(box[0] > -6 && box[1] > 41 && box[2] < 10 && box[3] < 52 && box[0] < -4 && box[3] > 50, $"France's box [{string.Join(", ", box)}]");
        Assert.Equal("Zürich", Matches(await CallAsync("geocode", new { query = "ZURICH" }))[0].GetProperty("name").GetString());
        Assert.Empty(Matches(await CallAsync("geocode", new { query = "Qwzxyplk" })));
    }

    [Fact]
    public async Task Reverse_geocode_names_the_nearest_places_and_says_when_a_point_is_at_sea()
    {
        var near = Matches(await CallAsync("reverse_geocode", new { longitude = 2.3522, latitude = 48.8566 }));
        Assert.Equal("Paris", near[0].GetProperty("name").GetString());
        Assert.Equal("FR", (await CallAsync("reverse_geocode", new { longitude = 2.3522, latitude = 48.8566 })).GetProperty("within").GetProperty("country").GetString());
        Assert.True(near[0].GetProperty("distance_km").GetDouble() < 5);

        var atSea = await CallAsync("reverse_geocode", new { longitude = -35.0, latitude = 30.0 });
        Assert.Empty(Matches(atSea));
        Assert.Equal(JsonValueKind.Null, atSea.TryGetProperty("within", out var none) ? none.ValueKind : JsonValueKind.Null);
        Assert.Contains("At sea", atSea.GetProperty("note").GetString(), StringComparison.Ordinal);

        // Off Marseille: at sea, with the coast's places listed.
        var offshore = await CallAsync("reverse_geocode", new { longitude = 5.3, latitude = 43.1 });
        Assert.Contains("At sea", offshore.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(Matches(offshore));
    }

    [Fact]
    public async Task Bad_place_requests_get_errors_that_say_what_to_send()
    {
        Assert.Contains("place name", await RejectedAsync("geocode", new { query = "  " }), StringComparison.Ordinal);
        Assert.Contains("limit", await RejectedAsync("geocode", new { query = "Lyon", limit = 0 }), StringComparison.Ordinal);
        Assert.Contains("longitude", await RejectedAsync("reverse_geocode", new { longitude = 200.0, latitude = 0.0 }), StringComparison.Ordinal);
    }
}
