using System.ComponentModel;
using MapServer.Api.Maps;
using MapServer.Api.Places;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>Finding places offline, from the gazetteer this server ships: geocode and reverse_geocode.</summary>
[McpServerToolType]
public sealed class PlaceTools(Gazetteer gazetteer)
{
    /// <summary>How far reverse_geocode looks for a populated place.</summary>
    public const double SearchRadiusKm = 200;

    [McpServerTool(Name = "geocode", Title = "Find a place", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Finds places by name, offline: countries (at their centre) and the world's populated places of 1,000+ people (GeoNames), best first
        (countries, then capitals, then cities by population; names starting with the query follow whole-name matches). Accents and case
        do not matter; add a country after a comma to narrow it, e.g. "Springfield, US" or "Valencia, Spain".
        Returns each match's name, kind (country, capital or city), country code and name, population and [longitude, latitude], and
        for a country the bbox of its main land: pass a bbox to fit_bounds, coordinates to set_map_view (zoom about 11 for a city) or add_marker.
        """)]
    public PlaceMatches Geocode(
        [Description("A place name, optionally ', <country name or code>', e.g. 'Paris' or 'Paris, US'.")] string query,
        [Description("How many matches at most, 1..20. Default 5.")] int limit = 5)
    {
        var text = query?.Trim() ?? "";
        if (text.Length is 0 or > 200)
        {
            throw new MapOperationException("query must be a place name of 1 to 200 characters, e.g. 'Lyon' or 'Springfield, US'.");
        }

        var count = (int)MapValidation.InRange(limit, 1, 20, "limit", "how many matches");
        return new PlaceMatches(text, [.. gazetteer.Find(text, count).Select(p => Match(p, null))]);
    }

    [McpServerTool(Name = "reverse_geocode", Title = "What is here", ReadOnly = true, Idempotent = true, Destructive = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Says what is at a point, offline: the country whose land holds it (`within`; none at sea, and the answer says so) and the nearest
        populated places (GeoNames, 1,000+ people) within 200 km, closest first, with their country and distance in km.
        """)]
    public PlaceMatches ReverseGeocode(
        [Description("Longitude, -180..180.")] double longitude,
        [Description("Latitude, -90..90.")] double latitude,
        [Description("How many places at most, 1..20. Default 3.")] int limit = 3)
    {
        MapValidation.Longitude(longitude);
        MapValidation.Latitude(latitude);
        var count = (int)MapValidation.InRange(limit, 1, 20, "limit", "how many places");
        var nearest = gazetteer.Nearest(longitude, latitude, count).Where(n => n.Kilometres <= SearchRadiusKm).Select(n => Match(n.Place, Math.Round(n.Kilometres, 1))).ToList();
        var within = gazetteer.CountryAt(longitude, latitude);
        var note = within is not null ? null
            : nearest.Count == 0 ? $"At sea (on no country's land), with no populated place within {SearchRadiusKm:0} km."
            : "At sea (on no country's land); the nearest places on land follow.";
        return new PlaceMatches($"[{longitude:0.#####}, {latitude:0.#####}]", nearest, within is null ? null : Match(within, null), note);
    }

    private PlaceMatch Match(Place place, double? kilometres) =>
        new(place.Name, place.Kind, place.Country, gazetteer.CountryName(place.Country), place.Population, [place.Longitude, place.Latitude], place.Bbox, kilometres);
}
