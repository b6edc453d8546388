using System.Text.Json;

namespace MapServer.Api.Viewports;

/// <summary>What a person's viewer shows: bounds [west, south, east, north], zoom, center [lon, lat], and the feature they last clicked.</summary>
public sealed record ViewportReport(double[] Bounds, double Zoom, double[] Center, JsonElement? ClickedFeature = null)
{
    /// <summary>Largest clicked-feature JSON kept, in bytes: enough for its properties, not for a whole dataset.</summary>
    public const int MaxClickedFeatureBytes = 16 * 1024;

    /// <summary>How deeply clickedFeature may nest (a GeoJSON feature needs about 6): the stored report wraps it in two more levels.</summary>
    public const int MaxClickedFeatureDepth = 32;

    /// <summary>Why the report cannot be stored, or null when it is a sane viewport.</summary>
    public string? Problem()
    {
        if (Bounds is not { Length: 4 } || !Bounds.All(double.IsFinite))
        {
            return "bounds must be [west, south, east, north] in degrees.";
        }

        if (Bounds[1] < -90 || Bounds[3] > 90 || Bounds[1] > Bounds[3])
        {
            return "bounds latitudes must satisfy -90 <= south <= north <= 90.";
        }

        if (Bounds[0] < -540 || Bounds[2] > 540 || Bounds[0] > Bounds[2])
        {
            return "bounds longitudes must satisfy west <= east, within -540..540.";
        }

        if (!double.IsFinite(Zoom) || Zoom < 0 || Zoom > 24)
        {
            return "zoom must be between 0 and 24.";
        }

        if (Center is not { Length: 2 } || !Center.All(double.IsFinite) || Center[1] < -90 || Center[1] > 90)
        {
            return "center must be [longitude, latitude] in degrees.";
        }

        if (ClickedFeature is { } feature && feature.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            return "clickedFeature must be an object.";
        }

        if (ClickedFeature is { ValueKind: JsonValueKind.Object } clicked)
        {
            if (System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(clicked).Length > MaxClickedFeatureBytes)
            {
                return $"clickedFeature must be at most {MaxClickedFeatureBytes} bytes of JSON.";
            }

            if (Depth(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(clicked)) > MaxClickedFeatureDepth)
            {
                return $"clickedFeature may nest at most {MaxClickedFeatureDepth} levels deep; send the clicked feature's properties as they are.";
            }

            try
            {
                _ = JsonSerializer.Serialize(clicked, ViewportJsonContext.Default.JsonElement); // as it will be stored
            }
            catch (Exception ex) when (ex is InvalidOperationException or JsonException or ArgumentException)
            {
                return "clickedFeature must be valid UTF-8 JSON text (no invalid bytes, no unpaired surrogate escapes such as \\ud800).";
            }
        }

        return null;
    }

    private static int Depth(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var deepest = 0;
        while (reader.Read())
        {
            deepest = Math.Max(deepest, reader.CurrentDepth);
        }

        return deepest;
    }
}
