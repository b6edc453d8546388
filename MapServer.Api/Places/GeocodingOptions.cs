namespace MapServer.Api.Places;

/// <summary>
/// An optional online geocoder (<c>MapServer:Geocoding</c>) that geocode and reverse_geocode ask first; off by default,
/// when they answer offline from the <see cref="Gazetteer"/> alone, exactly as without it. When the provider fails (no
/// answer within <see cref="Timeout"/>, an HTTP error, an answer it cannot read, the network down, or this server's own
/// rate limit reached) or finds nothing, the tools answer from the gazetteer and say so in their note; they never fail
/// for it. Online answers name their source (nominatim, photon) and credit OpenStreetMap (ODbL).
/// </summary>
/// <remarks>
/// The URL is the operator's, never a caller's. The public Nominatim (https://nominatim.openstreetmap.org) allows at most
/// one request a second and asks for a User-Agent that identifies the installation: the api refuses to start against it
/// with the default <see cref="UserAgent"/> or more than 1 request a second. The rate limit is per replica: with N
/// replicas set <see cref="RequestsPerSecond"/> to 1/N of what the provider allows.
/// </remarks>
public sealed class GeocodingOptions
{
    public const string Section = "MapServer:Geocoding";

    /// <summary>What <see cref="UserAgent"/> is unless set: it names the software, not the installation.</summary>
    public const string DefaultUserAgent = "MapServer/1.0 (+operator contact: set MapServer:Geocoding:UserAgent)";

    /// <summary>The most of a provider's answer that is read, in bytes (1 MiB); a longer answer counts as a failure.</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>The public Nominatim's host, whose usage policy the api enforces at start.</summary>
    public const string PublicNominatimHost = "nominatim.openstreetmap.org";

    /// <summary><c>None</c> (default: offline only), <c>Nominatim</c> or <c>Photon</c>.</summary>
    public GeocodingProvider Provider { get; set; } = GeocodingProvider.None;

    /// <summary>
    /// The provider's base URL (http or https, no query), required with a provider: e.g. https://nominatim.openstreetmap.org,
    /// https://photon.komoot.io, or your own instance; requests go to <c>{Url}/search</c> and <c>{Url}/reverse</c> (Nominatim)
    /// or <c>{Url}/api</c> and <c>{Url}/reverse</c> (Photon).
    /// </summary>
    public string Url { get; set; } = "";

    /// <summary>
    /// The User-Agent header of every request: set it to name your installation and a contact, e.g.
    /// <c>MapServer/1.0 (maps.example.org; ops@example.org)</c>. Default <see cref="DefaultUserAgent"/>.
    /// </summary>
    public string UserAgent { get; set; } = DefaultUserAgent;

    /// <summary>
    /// Requests a second this replica sends at most, spaced at least 1/RequestsPerSecond apart (default 1, the public
    /// Nominatim's limit; up to 100). A call that cannot have its turn soon enough answers offline instead of waiting.
    /// </summary>
    public double RequestsPerSecond { get; set; } = 1;

    /// <summary>The longest one call waits for the provider, its turn under the rate limit included (default 3 s; 0.1 to 30 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long the provider is left alone after it failed (default 30 s; 0 to ask again at once), or longer when its
    /// Retry-After says so (up to an hour); meanwhile the tools answer offline at once.
    /// </summary>
    public TimeSpan PauseAfterFailure { get; set; } = TimeSpan.FromSeconds(30);
}
