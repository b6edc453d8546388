namespace MapServer.Api.Places;

/// <summary>
/// A named place the gazetteer knows: a country (at its centre, with the box of its main land) or a populated place;
/// Country is its ISO 3166-1 alpha-2 code; Bbox is [west, south, east, north] where known.
/// </summary>
public sealed record Place(string Name, string Kind, string Country, long Population, double Longitude, double Latitude, double AreaKm2 = 0, double[]? Bbox = null);
