using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Web.Maps;

/// <summary>
/// <c>GET /basemap/places.geojson</c>: the offline basemap's place names as GeoJSON points (properties name, kind
/// and rank, larger first), built once from the shipped world-countries list (no GeoJSON of it is published).
/// </summary>
public static class BasemapPlacesApi
{
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
        using var stream = environment.WebRootFileProvider.GetFileInfo("lib/offline-basemap/countries.json").CreateReadStream();
        using var countries = JsonDocument.Parse(stream);
        var features = new JsonArray();
        foreach (var country in countries.RootElement.EnumerateArray())
        {
            if (country.TryGetProperty("latlng", out var latlng) && latlng.GetArrayLength() == 2
                && country.GetProperty("name").TryGetProperty("common", out var name))
            {
                var area = country.TryGetProperty("area", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0;
                features.Add(Place(name.GetString()!, "country", Math.Round(Math.Log10(Math.Max(area, 1)), 2), latlng[1].GetDouble(), latlng[0].GetDouble()));
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["type"] = "FeatureCollection", ["features"] = features });
    }

    private static JsonObject Place(string name, string kind, double rank, double longitude, double latitude) => new()
    {
        ["type"] = "Feature",
        ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(longitude, latitude) },
        ["properties"] = new JsonObject { ["name"] = name, ["kind"] = kind, ["rank"] = rank },
    };
}
