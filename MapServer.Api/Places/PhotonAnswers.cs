using System.Text.Json;

namespace MapServer.Api.Places;

/// <summary>
/// Reads Photon's answers (/api and /reverse alike): a GeoJSON FeatureCollection of points whose properties hold name,
/// osm_key/osm_value, type (house, street, city, county, state, country, …), countrycode, country, city, street,
/// housenumber, postcode, state, and extent as [west, north, east, south].
/// </summary>
internal static class PhotonAnswers
{
    public static IReadOnlyList<OnlinePlace> Read(JsonElement root)
    {
        if (GeocoderJson.Member(root, "features") is not { ValueKind: JsonValueKind.Array } features)
        {
            throw new FormatException("Photon's answer is not a GeoJSON FeatureCollection.");
        }

        List<JsonElement> items = [.. features.EnumerateArray()];
        var places = items.Select(Place).OfType<OnlinePlace>().ToList();
        return items.Count > 0 && places.Count == 0 ? throw new FormatException("None of Photon's features is a point.") : places;
    }

    private static OnlinePlace? Place(JsonElement feature)
    {
        var coordinates = GeocoderJson.Member(GeocoderJson.Member(feature, "geometry"), "coordinates");
        if (coordinates.ValueKind != JsonValueKind.Array || coordinates.GetArrayLength() < 2
            || GeocoderJson.Number(coordinates[0]) is not { } longitude
            || GeocoderJson.Number(coordinates[1]) is not { } latitude
            || !GeocoderJson.IsPosition(longitude, latitude))
        {
            return null;
        }

        var properties = GeocoderJson.Member(feature, "properties");
        string? Text(string name) => GeocoderJson.Text(properties, name);
        var (value, type) = (Text("osm_value"), Text("type"));
        var kind = value == Gazetteer.Country || type == Gazetteer.Country ? Gazetteer.Country
            : value is null or "administrative" or "yes" ? type ?? value ?? "place"
            : value;
        var street = GeocoderJson.Join(" ", Text("street"), Text("housenumber"));
        var name = Text("name") ?? street ?? Text("city") ?? Text("state") ?? Text("country") ?? $"unnamed {kind}";
        var extent = GeocoderJson.Member(properties, "extent");
        double? Corner(int i) => extent.ValueKind == JsonValueKind.Array && extent.GetArrayLength() == 4 ? GeocoderJson.Number(extent[i]) : null;
        return new OnlinePlace(
            name,
            kind,
            Text("countrycode")?.ToUpperInvariant() ?? "",
            Text("country"),
            0,
            longitude,
            latitude,
            GeocoderJson.Box(Corner(0), Corner(3), Corner(2), Corner(1)),
            GeocoderJson.Join(", ", name, street, GeocoderJson.Join(" ", Text("postcode"), Text("city")), Text("state"), Text("country")));
    }
}
