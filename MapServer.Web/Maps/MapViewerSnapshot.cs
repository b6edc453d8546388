using System.Text.RegularExpressions;

namespace MapServer.Web.Maps;

/// <summary>What the map module reports to the side panel after each change it applied.</summary>
public sealed record MapViewerSnapshot(string Status, long Version, string Basemap, IReadOnlyList<LayerEntry> Layers, IReadOnlyList<MarkerEntry> Markers)
{
    public static MapViewerSnapshot Connecting { get; } = new("connecting", 0, "", [], []);

    public bool IsConnected => Status == "connected";

    /// <summary>The status as a person reads it.</summary>
    public string StatusText => Status switch
    {
        "connected" => "Live",
        "reconnecting" => "Reconnecting…",
        _ => "Connecting…",
    };
}

/// <summary>A data layer in the panel, top of the map first.</summary>
public sealed record LayerEntry(string Id, string Title, string? LegendColor, bool Visible, bool HiddenLocally)
{
    /// <summary>Drawn on this person's map: the agent shows it and the person has not hidden it here.</summary>
    public bool Shown => Visible && !HiddenLocally;

    public string Swatch => CssColor.OrDefault(LegendColor);
}

public sealed record MarkerEntry(string Id, string? Label, string? Color, double Longitude, double Latitude)
{
    public string Swatch => CssColor.OrDefault(Color);

    public string Title => string.IsNullOrWhiteSpace(Label) ? Id : Label;
}

/// <summary>Colours from agents go into style attributes: only plain colour syntax gets through.</summary>
public static partial class CssColor
{
    public const string Fallback = "#64748b";

    public static string OrDefault(string? color) =>
        color is not null && color.Length <= 64 && Allowed().IsMatch(color) ? color : Fallback;

    [GeneratedRegex(@"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}|(rgb|rgba|hsl|hsla)\([0-9.,%\s/deg]+\))$")]
    private static partial Regex Allowed();
}
