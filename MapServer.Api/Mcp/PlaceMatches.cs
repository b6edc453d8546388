namespace MapServer.Api.Mcp;

/// <summary>geocode's and reverse_geocode's answer: what was asked, the places found best first, and a note when none was.</summary>
public sealed record PlaceMatches(string Query, IReadOnlyList<PlaceMatch> Matches, string? Note = null);
