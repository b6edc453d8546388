namespace MapServer.Api.Places;

/// <summary>A populated place from the GeoNames cities list; <see cref="FeatureCode"/> PPLC marks a capital.</summary>
public sealed record WorldCity(string Name, string Country, string FeatureCode, long Population, double Longitude, double Latitude)
{
    public bool IsCapital => FeatureCode == "PPLC";
}
