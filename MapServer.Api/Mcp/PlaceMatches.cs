namespace MapServer.Api.Mcp;

/// <summary>
/// geocode's and reverse_geocode's answer: what was asked, the places found best first, for reverse_geocode the country
/// whose land holds the point (none at sea), and a note when that needs saying.
/// </summary>
public sealed record PlaceMatches(string Query, IReadOnlyList<PlaceMatch> Matches, PlaceMatch? Within = null, string? Note = null);
