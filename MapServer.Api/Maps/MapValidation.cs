using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MapServer.Api.Maps;

/// <summary>The rules every argument of a map operation must meet.</summary>
public static partial class MapValidation
{
    public const double MaxZoom = 24;
    public const double MaxPitch = 85;

    public static readonly string[] SourceTypes = ["raster", "vector", "geojson", "raster-dem", "image"];

    public static readonly string[] StyleLayerTypes =
        ["fill", "line", "symbol", "circle", "heatmap", "fill-extrusion", "raster", "hillshade", "background", "color-relief"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")]
    private static partial Regex SafeId();

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")]
    private static partial Regex HexColor();

    [GeneratedRegex(@"^(rgb|rgba|hsl|hsla)\(\s*[-0-9.%\s,/]+\)$")]
    private static partial Regex FunctionalColor();

    private static readonly HashSet<string> NamedColors = new(StringComparer.OrdinalIgnoreCase)
    {
        "black", "white", "red", "green", "blue", "yellow", "orange", "purple", "pink", "brown", "gray", "grey",
        "cyan", "magenta", "lime", "navy", "teal", "maroon", "olive", "silver", "gold", "indigo", "violet",
        "crimson", "coral", "salmon", "turquoise", "tomato", "orchid", "khaki", "transparent",
    };

    public static string Id(string? value, string field)
    {
        if (string.IsNullOrEmpty(value) || !SafeId().IsMatch(value))
        {
            throw new MapOperationException(
                $"{field} '{value}' is not a valid id: use 1-128 characters of letters, digits, '_', '-', '.' or ':', starting with a letter or digit.");
        }

        return value;
    }

    public static double[] Center(double[]? center)
    {
        if (center is not { Length: 2 })
        {
            throw new MapOperationException("center must be [longitude, latitude], two numbers, e.g. [2.35, 48.85] for Paris.");
        }

        Longitude(center[0], "center[0] (longitude)");
        Latitude(center[1], "center[1] (latitude)");
        return [center[0], center[1]];
    }

    public static double Longitude(double value, string field = "longitude") =>
        InRange(value, -180, 180, field, "longitude comes first in [longitude, latitude]");

    public static double Latitude(double value, string field = "latitude") =>
        InRange(value, -90, 90, field, "latitude comes second in [longitude, latitude]");

    public static double Zoom(double value) => InRange(value, 0, MaxZoom, "zoom", "0 shows the world, 10 a city, 16 streets");

    public static double Pitch(double value) => InRange(value, 0, MaxPitch, "pitch", "0 looks straight down");

    public static double Bearing(double value) => InRange(value, -360, 360, "bearing", "degrees clockwise from north");

    /// <summary>The basemap name, if this server has that basemap.</summary>
    public static string Basemap(string basemap) => Basemaps.All.ContainsKey(basemap)
        ? basemap
        : throw new MapOperationException($"basemap '{basemap}' is unknown; use one of {string.Join(", ", Basemaps.All.Keys)}.");

    public static double Opacity(double value) => InRange(value, 0, 1, "opacity", "0 is invisible, 1 is opaque");

    public static double InRange(double value, double min, double max, string field, string hint)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            throw new MapOperationException(
                $"{field} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} ({hint}); got {value.ToString(CultureInfo.InvariantCulture)}.");
        }

        return value;
    }

    public static string Color(string? value, string field = "color")
    {
        if (value is null || !(HexColor().IsMatch(value) || FunctionalColor().IsMatch(value) || NamedColors.Contains(value)))
        {
            throw new MapOperationException(
                $"{field} '{value}' is not a colour: use hex like '#1e90ff', 'rgb(30,144,255)', 'hsl(210,100%,56%)' or a CSS name like 'red'.");
        }

        return value;
    }

    public static double[] Bbox(double[]? bbox)
    {
        if (bbox is not { Length: 4 })
        {
            throw new MapOperationException("bbox must be [west, south, east, north], four numbers, e.g. [-0.51, 51.28, 0.33, 51.69] for London.");
        }

        Longitude(bbox[0], "bbox west");
        Latitude(bbox[1], "bbox south");
        Longitude(bbox[2], "bbox east");
        Latitude(bbox[3], "bbox north");
        if (bbox[1] > bbox[3])
        {
            throw new MapOperationException("bbox south must not be greater than north: the order is [west, south, east, north].");
        }

        return bbox;
    }

    /// <summary>Checks a MapLibre source spec: an object with a known type and what that type needs.</summary>
    public static void Source(JsonElement source)
    {
        if (source.ValueKind != JsonValueKind.Object)
        {
            throw new MapOperationException("source must be a MapLibre source object, e.g. {\"type\":\"geojson\",\"data\":{...}} or {\"type\":\"raster\",\"tiles\":[\"https://.../{z}/{x}/{y}.png\"],\"tileSize\":256}.");
        }

        var type = source.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is null || !SourceTypes.Contains(type))
        {
            throw new MapOperationException($"source.type must be one of {string.Join(", ", SourceTypes)}; got '{type}'.");
        }

        switch (type)
        {
            case "geojson":
                if (!source.TryGetProperty("data", out var data))
                {
                    throw new MapOperationException("a geojson source needs data: a GeoJSON object or the URL of one.");
                }

                if (data.ValueKind == JsonValueKind.Object)
                {
                    GeoJson.Validate(data, "source.data");
                }
                else if (data.ValueKind != JsonValueKind.String)
                {
                    throw new MapOperationException("source.data must be a GeoJSON object or a URL string.");
                }

                break;
            case "raster" or "vector" or "raster-dem":
                var hasUrl = source.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String;
                var hasTiles = source.TryGetProperty("tiles", out var tiles) && tiles.ValueKind == JsonValueKind.Array && tiles.GetArrayLength() > 0;
                if (!hasUrl && !hasTiles)
                {
                    throw new MapOperationException(
                        $"a {type} source needs 'tiles' (an array of XYZ URL templates with {{z}}/{{x}}/{{y}}) or 'url' (a TileJSON URL, or pmtiles://https://... for PMTiles).");
                }

                break;
            case "image":
                if (!source.TryGetProperty("url", out _) || !source.TryGetProperty("coordinates", out _))
                {
                    throw new MapOperationException("an image source needs 'url' and 'coordinates' (four [lon, lat] corners).");
                }

                break;
        }
    }

    /// <summary>Checks a MapLibre style layer spec: an object with a known type (and source-layer for vector sources).</summary>
    public static void StyleLayer(JsonElement layer, string sourceType, int index)
    {
        var at = $"layers[{index}]";
        if (layer.ValueKind != JsonValueKind.Object)
        {
            throw new MapOperationException($"{at} must be a MapLibre layer object such as {{\"type\":\"line\",\"paint\":{{\"line-color\":\"#e11d48\"}}}}.");
        }

        var type = layer.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is null || !StyleLayerTypes.Contains(type))
        {
            throw new MapOperationException($"{at}.type must be one of {string.Join(", ", StyleLayerTypes)}; got '{type}'.");
        }

        if (sourceType == "vector" && !layer.TryGetProperty("source-layer", out _))
        {
            throw new MapOperationException($"{at} draws a vector source, so it needs 'source-layer': the name of the layer inside the vector tiles.");
        }

        if (layer.TryGetProperty("id", out var id))
        {
            Id(id.GetString(), $"{at}.id");
        }

        foreach (var property in (string[])["paint", "layout"])
        {
            if (layer.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Object)
            {
                throw new MapOperationException($"{at}.{property} must be an object of MapLibre {property} properties.");
            }
        }
    }

    /// <summary>MapLibre property names are lowercase words joined by '-', e.g. line-color.</summary>
    public static string PropertyName(string? name, string field)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new MapOperationException($"{field} '{name}' is not a MapLibre property name: use names like 'line-color', 'fill-opacity' or 'visibility'.");
        }

        return name;
    }

    /// <summary>A filter is a MapLibre expression: a JSON array whose first item is the operator.</summary>
    public static void Filter(JsonElement filter)
    {
        if (filter.ValueKind != JsonValueKind.Array || filter.GetArrayLength() == 0 || filter[0].ValueKind != JsonValueKind.String)
        {
            throw new MapOperationException("filter must be a MapLibre expression array such as [\"==\", [\"get\", \"class\"], \"primary\"]; pass null to remove the filter.");
        }
    }
}
