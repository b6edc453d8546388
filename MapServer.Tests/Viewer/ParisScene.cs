namespace MapServer.Tests.Viewer;

/// <summary>A small map an agent might build: parks, a metro line with stations, two markers and a circle, on the offline basemap.</summary>
public static class ParisScene
{
    public static async Task<long> PlaceAsync(MapAgent agent, string sessionId, CancellationToken cancellationToken)
    {
        await agent.SetBasemapAsync(sessionId, "blank", cancellationToken);
        await AddParksAsync(agent, sessionId, cancellationToken);
        await agent.AddGeoJsonLayerAsync(sessionId, "metro", "Metro line 1", "#2563eb", Collection(
                Feature(new { type = "LineString", coordinates = new[] { new[] { 2.2950, 48.8738 }, new[] { 2.3212, 48.8656 }, new[] { 2.3364, 48.8610 }, new[] { 2.3470, 48.8566 }, new[] { 2.3690, 48.8531 }, new[] { 2.3950, 48.8473 } } }, new { name = "Line 1" }),
                Feature(new { type = "Point", coordinates = new[] { 2.2950, 48.8738 } }, new { name = "Charles de Gaulle – Étoile" }),
                Feature(new { type = "Point", coordinates = new[] { 2.3212, 48.8656 } }, new { name = "Concorde" }),
                Feature(new { type = "Point", coordinates = new[] { 2.3364, 48.8610 } }, new { name = "Palais Royal" }),
                Feature(new { type = "Point", coordinates = new[] { 2.3470, 48.8566 } }, new { name = "Hôtel de Ville" }),
                Feature(new { type = "Point", coordinates = new[] { 2.3690, 48.8531 } }, new { name = "Bastille" }),
                Feature(new { type = "Point", coordinates = new[] { 2.3950, 48.8473 } }, new { name = "Nation" })),
            [
                new { id = "metro-line", type = "line", source = "metro", filter = new object[] { "==", new[] { "geometry-type" }, "LineString" }, paint = new Dictionary<string, object> { ["line-color"] = "#2563eb", ["line-width"] = 5 }, layout = new Dictionary<string, object> { ["line-cap"] = "round", ["line-join"] = "round" } },
                new { id = "metro-stations", type = "circle", source = "metro", filter = new object[] { "==", new[] { "geometry-type" }, "Point" }, paint = new Dictionary<string, object> { ["circle-color"] = "#ffffff", ["circle-radius"] = 6, ["circle-stroke-color"] = "#2563eb", ["circle-stroke-width"] = 3 } },
            ],
            cancellationToken);
        await agent.AddMarkerAsync(sessionId, "eiffel", 2.2945, 48.8584, "Eiffel Tower", "#e11d48", "Finished in <b>1889</b>, **330 m** tall.\n\n- [Official site](https://www.toureiffel.paris)\n- *Iron* lattice", cancellationToken);
        await agent.AddMarkerAsync(sessionId, "louvre", 2.3376, 48.8606, "Louvre", "#7c3aed", "The world's most-visited museum.", cancellationToken);
        return await agent.ApplyAsync(sessionId, new MapServer.Api.Maps.Operations.PutAnnotation("notre-dame", new MapServer.Api.Maps.MapAnnotation
        {
            Kind = MapServer.Api.Maps.AnnotationKind.Circle,
            Geometry = System.Text.Json.JsonSerializer.SerializeToElement(new { type = "Point", coordinates = new[] { 2.3499, 48.8530 } }),
            Label = "Within 600 m of Notre-Dame",
            Color = "#f59e0b",
            RadiusMeters = 600,
        }), cancellationToken);
    }

    public static Task<long> AddParksAsync(MapAgent agent, string sessionId, CancellationToken cancellationToken) =>
        agent.AddGeoJsonLayerAsync(sessionId, "parks", "Parks", "#16a34a", Collection(
                Feature(Box(2.2890, 48.8525, 2.3030, 48.8585), new { name = "Champ de Mars" }),
                Feature(Box(2.3240, 48.8610, 2.3330, 48.8650), new { name = "Jardin des Tuileries" }),
                Feature(Box(2.3330, 48.8440, 2.3405, 48.8490), new { name = "Jardin du Luxembourg" })),
            [
                new { id = "parks-fill", type = "fill", source = "parks", paint = new Dictionary<string, object> { ["fill-color"] = "#16a34a", ["fill-opacity"] = 0.45 } },
                new { id = "parks-outline", type = "line", source = "parks", paint = new Dictionary<string, object> { ["line-color"] = "#166534", ["line-width"] = 1.5 } },
            ],
            cancellationToken);

    private static object Collection(params object[] features) => new { type = "FeatureCollection", features };

    private static object Feature(object geometry, object properties) => new { type = "Feature", geometry, properties };

    private static object Box(double west, double south, double east, double north) => new
    {
        type = "Polygon",
        coordinates = new[] { new[] { new[] { west, south }, new[] { east, south }, new[] { east, north }, new[] { west, north }, new[] { west, south } } },
    };
}
