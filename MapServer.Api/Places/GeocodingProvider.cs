namespace MapServer.Api.Places;

/// <summary>Which online geocoder geocode and reverse_geocode ask first (<c>MapServer:Geocoding:Provider</c>).</summary>
public enum GeocodingProvider
{
    /// <summary>None: the offline gazetteer alone answers (the default).</summary>
    None,

    /// <summary>A Nominatim server's <c>/search</c> and <c>/reverse</c> (format jsonv2).</summary>
    Nominatim,

    /// <summary>A Photon server's <c>/api</c> and <c>/reverse</c> (GeoJSON).</summary>
    Photon,
}
