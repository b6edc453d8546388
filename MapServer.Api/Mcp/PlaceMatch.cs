namespace MapServer.Api.Mcp;

/// <summary>
/// One place found: its kind (country, capital, city), ISO country code and name, population, [longitude, latitude], for a
/// country the [west, south, east, north] box of its main land (for fit_bounds), and the distance from the point asked
/// about (reverse_geocode).
/// </summary>
public sealed record PlaceMatch(string Name, string Kind, string Country, string CountryName, long Population, double[] Coordinates, double[]? Bbox = null, double? DistanceKm = null);
