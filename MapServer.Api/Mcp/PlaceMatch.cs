namespace MapServer.Api.Mcp;

/// <summary>One place found: its kind (country, capital, city), ISO country code and name, population, [longitude, latitude], and the distance from the point asked about (reverse_geocode).</summary>
public sealed record PlaceMatch(string Name, string Kind, string Country, string CountryName, long Population, double[] Coordinates, double? DistanceKm = null);
