namespace MapServer.Api.Mcp;

/// <summary>
/// One place found: its kind (offline: country, capital, city; online also town, village, road, … as the provider classes
/// it), ISO country code and name, population (0 when unknown), [longitude, latitude], the [west, south, east, north] box
/// where known (a country's main land, also online; for fit_bounds), the distance from the point asked about
/// (reverse_geocode), and online the provider's full address.
/// </summary>
public sealed record PlaceMatch(string Name, string Kind, string Country, string CountryName, long Population, double[] Coordinates, double[]? Bbox = null, double? DistanceKm = null, string? Address = null);
