using System.Globalization;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Places;

/// <summary>Refuses to start with a geocoding provider whose settings cannot work, saying which key to fix and how.</summary>
public sealed class GeocodingOptionsValidator : IValidateOptions<GeocodingOptions>
{
    public ValidateOptionsResult Validate(string? name, GeocodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Provider))
        {
            return Fail($"{GeocodingOptions.Section}:Provider is '{options.Provider}'; use None, Nominatim or Photon.");
        }

        if (options.Provider == GeocodingProvider.None)
        {
            return ValidateOptionsResult.Success;
        }

        var example = options.Provider == GeocodingProvider.Nominatim ? "https://nominatim.openstreetmap.org" : "https://photon.komoot.io";
        if (!Uri.TryCreate(options.Url?.Trim(), UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            return Fail($"{GeocodingOptions.Section}:Provider is {options.Provider} but {GeocodingOptions.Section}:Url is '{options.Url}'; "
                + $"set the {options.Provider} server's base URL (http or https, no query, no user info), e.g. {example}, or set the provider to None.");
        }

        if (string.IsNullOrWhiteSpace(options.UserAgent) || options.UserAgent.Length > 256 || options.UserAgent.Any(char.IsControl))
        {
            return Fail($"{GeocodingOptions.Section}:UserAgent must be one line of 1 to 256 characters naming your installation and a contact, e.g. 'MapServer/1.0 (maps.example.org; ops@example.org)'.");
        }

        if (!(options.RequestsPerSecond > 0 && options.RequestsPerSecond <= 100))
        {
            return Fail($"{GeocodingOptions.Section}:RequestsPerSecond is {options.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)}; use more than 0 and at most 100 (1 for the public Nominatim; e.g. 0.5 is one request every 2 s).");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromSeconds(30))
        {
            return Fail($"{GeocodingOptions.Section}:Timeout is {options.Timeout.ToString("c", CultureInfo.InvariantCulture)}; use 00:00:00.1 to 00:00:30 (default 00:00:03).");
        }

        if (options.PauseAfterFailure < TimeSpan.Zero || options.PauseAfterFailure > TimeSpan.FromHours(1))
        {
            return Fail($"{GeocodingOptions.Section}:PauseAfterFailure is {options.PauseAfterFailure.ToString("c", CultureInfo.InvariantCulture)}; use 00:00:00 to 01:00:00 (default 00:00:30).");
        }

        if (string.Equals(url.Host, GeocodingOptions.PublicNominatimHost, StringComparison.OrdinalIgnoreCase))
        {
            if (options.UserAgent.Trim() == GeocodingOptions.DefaultUserAgent)
            {
                return Fail($"the public Nominatim's usage policy asks for a User-Agent that identifies your installation: set {GeocodingOptions.Section}:UserAgent, e.g. 'MapServer/1.0 (maps.example.org; ops@example.org)'.");
            }

            if (options.RequestsPerSecond > 1)
            {
                return Fail($"the public Nominatim allows at most 1 request a second; {GeocodingOptions.Section}:RequestsPerSecond is {options.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)}.");
            }
        }

        return ValidateOptionsResult.Success;
    }

    private static ValidateOptionsResult Fail(string problem) => ValidateOptionsResult.Fail($"Refusing to start: {problem}");
}
