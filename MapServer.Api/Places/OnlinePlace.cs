namespace MapServer.Api.Places;

/// <summary>
/// A place an online geocoder found: its name, kind as the provider classes it (country, capital, city, town, road, …),
/// ISO alpha-2 country code (upper case; empty when unknown) and the provider's country name, population where known
/// (else 0), position, [west, south, east, north] box where given, and the provider's full address.
/// </summary>
public sealed record OnlinePlace(string Name, string Kind, string Country, string? CountryName, long Population, double Longitude, double Latitude, double[]? Bbox, string? Address);
