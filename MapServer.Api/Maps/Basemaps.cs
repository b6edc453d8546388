namespace MapServer.Api.Maps;

/// <summary>The basemaps a map can show.</summary>
public static class Basemaps
{
    public const string Default = "streets";

    /// <summary>Name -> what it is; "blank" needs no network.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["streets"] = "OpenStreetMap raster tiles (needs internet)",
        ["topo"] = "OpenTopoMap raster tiles (needs internet)",
        ["satellite"] = "Esri World Imagery raster tiles (needs internet)",
        ["blank"] = "plain background with a graticule, works offline",
    };
}
