using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Web.Places;

/// <summary>
/// <c>GET /basemap/places.geojson</c>: the offline basemap's place names as GeoJSON points, built once: countries at
/// their centres (world-countries; rank = log10 of the area) and the larger cities and every capital (GeoNames; rank =
/// log10 of the population; tier 1 from the world view, tier 2 once zoomed in).
/// </summary>
public static class BasemapPlacesApi
{
    /// <summary>Cities at least this large are named (about 1,300 of them), and every capital.</summary>
    public const long MinimumCityPopulation = 300_000;

    /// <summary>Capitals and cities at least this large are named from the world view on.</summary>
    public const long MajorCityPopulation = 3_000_000;

    public static IEndpointRouteBuilder MapBasemapPlaces(this IEndpointRouteBuilder app)
    {
        var places = new Lazy<byte[]>(() => Build(app.ServiceProvider.GetRequiredService<IWebHostEnvironment>()));
        app.MapGet("/basemap/places.geojson", (HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(places.Value, "application/geo+json");
        });
        return app;
    }

    private static byte[] Build(IWebHostEnvironment environment)
    {
        var features = new JsonArray();
        using (var stream = environment.WebRootFileProvider.GetFileInfo("lib/offline-basemap/countries.json").CreateReadStream())
        using (var countries = JsonDocument.Parse(stream))
        {
            foreach (var country in countries.RootElement.EnumerateArray())
            {
                if (country.TryGetProperty("latlng", out var latlng) && latlng.GetArrayLength() == 2
                    && country.GetProperty("name").TryGetProperty("common", out var name))
                {
                    var area = country.TryGetProperty("area", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0;
                    features.Add(Place(name.GetString()!, "country", Rank(area), 1, latlng[1].GetDouble(), latlng[0].GetDouble()));
                }
            }
        }

        using (var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, WorldCities.DataFile)))
        {
            foreach (var city in WorldCities.Read(stream).Where(c => c.Population >= MinimumCityPopulation || c.IsCapital).OrderByDescending(c => c.Population))
            {
                var tier = city.IsCapital || city.Population >= MajorCityPopulation ? 1 : 2;
                features.Add(Place(city.Name, "city", Rank(city.Population), tier, city.Longitude, city.Latitude));
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = "FeatureCollection", ["features"] = features });
    }

    private static double Rank(double size) => Math.Round(Math.Log10(Math.Max(size, 1)), 2);

    private static JsonObject Place(string name, string kind, double rank, int tier, double longitude, double latitude) => new()
    {
        ["type"] = "Feature",
        ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(Math.Round(longitude, 5), Math.Round(latitude, 5)) },
        ["properties"] = new JsonObject { ["name"] = name, ["kind"] = kind, ["rank"] = rank, ["tier"] = tier },
    };
}
