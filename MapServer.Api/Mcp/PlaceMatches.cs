namespace MapServer.Api.Mcp;

/// <summary>
/// geocode's and reverse_geocode's answer: what was asked, the places found best first, for reverse_geocode the country
/// the point lies in (none at sea), a note when that needs saying (at sea; why the offline gazetteer answered instead of
/// the online provider), which source answered (<see cref="OfflineSource"/>, "nominatim" or "photon"), and for an online
/// answer the credit its data needs.
/// </summary>
public sealed record PlaceMatches(string Query, IReadOnlyList<PlaceMatch> Matches, PlaceMatch? Within = null, string? Note = null, string Source = PlaceMatches.OfflineSource, string? Attribution = null)
{
    /// <summary>The source of answers from the gazetteer this server ships.</summary>
    public const string OfflineSource = "offline gazetteer";
}
