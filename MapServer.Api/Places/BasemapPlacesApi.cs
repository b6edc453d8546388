using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Api.Places;

/// <summary>
/// <c>GET /basemap/places.geojson</c>: the viewer's offline basemap labels, from the gazetteer and built once: countries
/// at their centres (rank = log10 of the area) and the larger cities and every capital (rank = log10 of the population;
/// tier 1 from the world view, tier 2 once zoomed in). The viewer forwards it, like /sessions.
/// </summary>
public static class BasemapPlacesApi
{
    /// <summary>Cities at least this large are named (about 1,300 of them), and every capital.</summary>
    public const long MinimumCityPopulation = 300_000;

    /// <summary>Capitals and cities at least this large are named from the world view on.</summary>
    public const long MajorCityPopulation = 3_000_000;

    public static IEndpointRouteBuilder MapBasemapPlacesApi(this IEndpointRouteBuilder app)
    {
        var places = new Lazy<byte[]>(() => Build(app.ServiceProvider.GetRequiredService<Gazetteer>()));
        app.MapGet("/basemap/places.geojson", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(places.Value, "application/geo+json");
        });
        return app;
    }

    private static byte[] Build(Gazetteer gazetteer)
    {
        var features = new JsonArray();
        foreach (var country in gazetteer.Countries)
        {
            features.Add(Feature(country, Gazetteer.Country, Rank(country.AreaKm2), 1));
        }

        foreach (var city in gazetteer.Cities.Where(c => c.Population >= MinimumCityPopulation || c.Kind == Gazetteer.Capital).OrderByDescending(c => c.Population))
        {
            features.Add(Feature(city, "city", Rank(city.Population), city.Kind == Gazetteer.Capital || city.Population >= MajorCityPopulation ? 1 : 2));
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = "FeatureCollection", ["features"] = features });
    }

    private static double Rank(double size) => Math.Round(Math.Log10(Math.Max(size, 1)), 2);

    private static JsonObject Feature(Place place, string kind, double rank, int tier) => new()
    {
        ["type"] = "Feature",
        ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(Math.Round(place.Longitude, 5), Math.Round(place.Latitude, 5)) },
        ["properties"] = new JsonObject { ["name"] = place.Name, ["kind"] = kind, ["rank"] = rank, ["tier"] = tier },
    };
}
