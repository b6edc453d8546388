using System.ComponentModel;
using MapServer.Api.Maps;
using MapServer.Api.Places;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>
/// Finding places: geocode and reverse_geocode. Offline, from the gazetteer this server ships, unless an online geocoder
/// is configured (<see cref="GeocodingOptions"/>): then it answers first, and the gazetteer whenever it fails or finds
/// nothing, with a note that says so.
/// </summary>
[McpServerToolType]
public sealed class PlaceTools(Gazetteer gazetteer, OnlineGeocoder online)
{
    public const string GeocodeName = "geocode";

    public const string ReverseGeocodeName = "reverse_geocode";

    /// <summary>How far reverse_geocode looks for a populated place.</summary>
    public const double SearchRadiusKm = 200;

    [McpServerTool(Name = GeocodeName, Title = "Find a place", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Finds places by name, offline: countries (at their centre) and the world's populated places of 1,000+ people (GeoNames), best first
        (countries, then capitals, then cities by population; names starting with the query follow whole-name matches). Accents and case
        do not matter; add a country after a comma to narrow it, e.g. "Springfield, US" or "Valencia, Spain".
        Returns each match's name, kind (country, capital or city), country code and name, population and [longitude, latitude], and
        for a country the bbox of its main land: pass a bbox to fit_bounds, coordinates to set_map_view (zoom about 11 for a city) or add_marker.
        """)]
    public async Task<PlaceMatches> Geocode(
        [Description("A place name, optionally ', <country name or code>', e.g. 'Paris' or 'Paris, US'.")] string query,
        [Description("How many matches at most, 1..20. Default 5.")] int limit = 5,
        CancellationToken cancellationToken = default)
    {
        var text = query?.Trim() ?? "";
        if (text.Length is 0 or > 200)
        {
            throw new MapOperationException("query must be a place name of 1 to 200 characters, e.g. 'Lyon' or 'Springfield, US'.");
        }

        var count = (int)MapValidation.InRange(limit, 1, 20, "limit", "how many matches");
        string? note = null;
        if (online.IsConfigured)
        {
            var answer = await online.SearchAsync(text, count, cancellationToken);
            if (answer.Places.Count > 0)
            {
                return new PlaceMatches(text, [.. answer.Places.Select(p => Match(p, null))], Source: online.Source, Attribution: OnlineAnswer.Attribution);
            }

            note = Fallback(answer, "found no place by that name");
        }

        return new PlaceMatches(text, [.. gazetteer.Find(text, count).Select(p => Match(p, null))], Note: note);
    }

    [McpServerTool(Name = ReverseGeocodeName, Title = "What is here", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Says what is at a point, offline: the country whose land holds it (`within`; none at sea, and the answer says so) and the nearest
        populated places (GeoNames, 1,000+ people) within 200 km, closest first, with their country and distance in km.
        """)]
    public async Task<PlaceMatches> ReverseGeocode(
        [Description("Longitude, -180..180.")] double longitude,
        [Description("Latitude, -90..90.")] double latitude,
        [Description("How many places at most, 1..20. Default 3.")] int limit = 3,
        CancellationToken cancellationToken = default)
    {
        MapValidation.Longitude(longitude);
        MapValidation.Latitude(latitude);
        var count = (int)MapValidation.InRange(limit, 1, 20, "limit", "how many places");
        var query = $"[{longitude:0.#####}, {latitude:0.#####}]";
        string? fallback = null;
        if (online.IsConfigured)
        {
            var answer = await online.ReverseAsync(longitude, latitude, count, cancellationToken);
            if (answer.Places.Count > 0)
            {
                var places = answer.Places.Select(p => Match(p, Math.Round(Gazetteer.Kilometres(longitude, latitude, p.Longitude, p.Latitude), 1))).ToList();
                var country = CountryOf(answer.Places.Select(p => p.Country).FirstOrDefault(c => c.Length > 0));
                return new PlaceMatches(query, places, country is null ? null : Match(country, null), Source: online.Source, Attribution: OnlineAnswer.Attribution);
            }

            fallback = Fallback(answer, "found nothing at this point");
        }

        var nearest = gazetteer.Nearest(longitude, latitude, count).Where(n => n.Kilometres <= SearchRadiusKm).Select(n => Match(n.Place, Math.Round(n.Kilometres, 1))).ToList();
        var within = gazetteer.CountryAt(longitude, latitude);
        var note = within is not null ? null
            : nearest.Count == 0 ? $"At sea (on no country's land), with no populated place within {SearchRadiusKm:0} km."
            : "At sea (on no country's land); the nearest places on land follow.";
        return new PlaceMatches(query, nearest, within is null ? null : Match(within, null), fallback is null ? note : note is null ? fallback : $"{fallback} {note}");
    }

    /// <summary>geocode's description when an online provider answers first.</summary>
    public static string OnlineGeocodeDescription(GeocodingProvider provider) => $"""
        Finds places by name: first from {provider} (OpenStreetMap: countries, cities, towns, villages, streets, addresses, landmarks), best first;
        when it fails or finds nothing, offline from the gazetteer this server ships (countries and populated places of 1,000+ people, GeoNames;
        add a country after a comma to narrow it, e.g. "Springfield, US"). `source` says which answered and `note` why offline.
        Returns each match's name, kind (country, capital, city, town, village, road, … as the source classes it), country code and name,
        population where known, [longitude, latitude], a bbox where known, and online the full `address`: pass a bbox to fit_bounds,
        coordinates to set_map_view (zoom about 11 for a city) or add_marker. Online answers are © OpenStreetMap contributors (ODbL):
        show their `attribution` wherever you show them.
        """;

    /// <summary>reverse_geocode's description when an online provider answers first.</summary>
    public static string OnlineReverseGeocodeDescription(GeocodingProvider provider) => $"""
        Says what is at a point: first from {provider} (OpenStreetMap; {(provider == GeocodingProvider.Nominatim ? "the address or place at the point" : "the nearest places, closest first")}),
        with the country it lies in (`within`); when it fails or finds nothing, offline: the country whose land holds the point (none at sea,
        and the answer says so) and the nearest populated places (GeoNames, 1,000+ people) within 200 km, closest first. Each place has its
        country and distance in km. `source` says which answered and `note` why offline. Online answers are © OpenStreetMap contributors
        (ODbL): show their `attribution` wherever you show them.
        """;

    private string Fallback(OnlineAnswer answer, string nothingFound) =>
        $"{online.Source} {answer.Failure ?? nothingFound}; the offline gazetteer answered instead.";

    private PlaceMatch Match(Place place, double? kilometres) =>
        new(place.Name, place.Kind, place.Country, gazetteer.CountryName(place.Country), place.Population, [place.Longitude, place.Latitude], place.Bbox, kilometres);

    /// <summary>
    /// An online place, with the gazetteer's (English) name for its country where it knows the code, and for a country the
    /// box of its main land as offline: providers box a country with all its territories (France's spans the globe).
    /// </summary>
    private PlaceMatch Match(OnlinePlace place, double? kilometres)
    {
        var countryName = place.Country.Length == 0 ? place.CountryName ?? ""
            : gazetteer.CountryName(place.Country) is var known && known != place.Country ? known
            : place.CountryName ?? place.Country;
        var bbox = place.Kind == Gazetteer.Country && CountryOf(place.Country)?.Bbox is { } mainLand ? mainLand : place.Bbox;
        return new(place.Name, place.Kind, place.Country, countryName, place.Population, [place.Longitude, place.Latitude], bbox, kilometres, place.Address);
    }

    private Place? CountryOf(string? code) => string.IsNullOrEmpty(code) ? null : gazetteer.Countries.FirstOrDefault(c => c.Country == code);
}
