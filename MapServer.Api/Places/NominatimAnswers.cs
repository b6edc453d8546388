using System.Text.Json;

namespace MapServer.Api.Places;

/// <summary>
/// Reads Nominatim's format=jsonv2 answers: /search's array of places, /reverse's one place (or <c>{"error": …}</c> where
/// nothing is found). Coordinates may be strings; boundingbox is [south, north, west, east]; with addressdetails=1 and
/// extratags=1 a place has address.country_code and country, and extratags.capital and population where OSM has them.
/// </summary>
internal static class NominatimAnswers
{
    public static IReadOnlyList<OnlinePlace> Read(JsonElement root)
    {
        List<JsonElement> items = root.ValueKind switch
        {
            JsonValueKind.Array => [.. root.EnumerateArray()],
            JsonValueKind.Object when root.TryGetProperty("error", out _) => [],
            JsonValueKind.Object => [root],
            _ => throw new FormatException("Nominatim's answer is neither a place nor a list of places."),
        };
        var places = items.Select(Place).OfType<OnlinePlace>().ToList();
        return items.Count > 0 && places.Count == 0 ? throw new FormatException("None of Nominatim's places has a position.") : places;
    }

    private static OnlinePlace? Place(JsonElement item)
    {
        if (GeocoderJson.Number(GeocoderJson.Member(item, "lon")) is not { } longitude
            || GeocoderJson.Number(GeocoderJson.Member(item, "lat")) is not { } latitude
            || !GeocoderJson.IsPosition(longitude, latitude))
        {
            return null;
        }

        var address = GeocoderJson.Member(item, "address");
        var tags = GeocoderJson.Member(item, "extratags");
        var display = GeocoderJson.Text(item, "display_name");
        var type = GeocoderJson.Text(item, "addresstype") ?? GeocoderJson.Text(item, "type") ?? GeocoderJson.Text(item, "category") ?? GeocoderJson.Text(item, "class") ?? "place";
        var kind = type == Gazetteer.Country ? Gazetteer.Country
            : GeocoderJson.Text(tags, "capital") is "yes" or "2" ? Gazetteer.Capital
            : type;
        var name = GeocoderJson.Text(item, "name") ?? display?.Split(',')[0].Trim() ?? $"unnamed {kind}";
        var box = GeocoderJson.Member(item, "boundingbox");
        double? Corner(int i) => box.ValueKind == JsonValueKind.Array && box.GetArrayLength() == 4 ? GeocoderJson.Number(box[i]) : null;
        return new OnlinePlace(
            name,
            kind,
            GeocoderJson.Text(address, "country_code")?.ToUpperInvariant() ?? "",
            GeocoderJson.Text(address, "country"),
            GeocoderJson.Count(GeocoderJson.Member(tags, "population")),
            longitude,
            latitude,
            GeocoderJson.Box(Corner(2), Corner(0), Corner(3), Corner(1)),
            display);
    }
}
