using System.Globalization;
using System.Text.Json;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Places;

/// <summary>
/// The configured online geocoder (Nominatim or Photon; <see cref="GeocodingOptions"/>), a typed HttpClient. Every call
/// takes its turn under the process-wide <see cref="OnlineGeocoderGate"/>, ends within the timeout, reads at most 1 MiB,
/// and never throws for the provider's sake: a failure comes back as an <see cref="OnlineAnswer"/> that says what went
/// wrong, and leaves the provider alone for a while. Only the caller's own cancellation propagates.
/// </summary>
public sealed class OnlineGeocoder(HttpClient http, IOptions<GeocodingOptions> options, OnlineGeocoderGate gate, MapMetrics metrics, ILogger<OnlineGeocoder> logger)
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromHours(1);

    private GeocodingOptions Settings => options.Value;

    /// <summary>Whether a provider is configured; when not, nothing here sends a request.</summary>
    public bool IsConfigured => Settings.Provider != GeocodingProvider.None;

    /// <summary>The provider's name as answers give it as their source: "nominatim" or "photon".</summary>
    public string Source => Settings.Provider switch
    {
        GeocodingProvider.Nominatim => "nominatim",
        GeocodingProvider.Photon => "photon",
        _ => "none",
    };

    /// <summary>Places named <paramref name="query"/>, best first, at most <paramref name="limit"/>.</summary>
    public Task<OnlineAnswer> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var q = Uri.EscapeDataString(query);
        var count = limit.ToString(CultureInfo.InvariantCulture);
        return Settings.Provider == GeocodingProvider.Nominatim
            ? AskAsync($"/search?q={q}&format=jsonv2&limit={count}&addressdetails=1&extratags=1", NominatimAnswers.Read, limit, cancellationToken)
            : AskAsync($"/api?q={q}&limit={count}", PhotonAnswers.Read, limit, cancellationToken);
    }

    /// <summary>What is at [longitude, latitude]: Nominatim's one place there, or Photon's nearest places, at most <paramref name="limit"/>.</summary>
    public Task<OnlineAnswer> ReverseAsync(double longitude, double latitude, int limit, CancellationToken cancellationToken)
    {
        var (lon, lat) = (longitude.ToString("R", CultureInfo.InvariantCulture), latitude.ToString("R", CultureInfo.InvariantCulture));
        return Settings.Provider == GeocodingProvider.Nominatim
            ? AskAsync($"/reverse?lat={lat}&lon={lon}&format=jsonv2&addressdetails=1&extratags=1", NominatimAnswers.Read, limit, cancellationToken)
            : AskAsync($"/reverse?lon={lon}&lat={lat}&limit={limit.ToString(CultureInfo.InvariantCulture)}", PhotonAnswers.Read, limit, cancellationToken);
    }

    private async Task<OnlineAnswer> AskAsync(string pathAndQuery, Func<JsonElement, IReadOnlyList<OnlinePlace>> read, int limit, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return OnlineAnswer.Failed("is not configured");
        }

        var settings = Settings;
        if (gate.PausedFor() is { } left)
        {
            return Outcome("paused", OnlineAnswer.Failed($"is left alone for {Math.Ceiling(left.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s more after it failed"));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Timeout);
        var waiting = true;
        try
        {
            using var lease = await gate.AcquireAsync(timeout.Token);
            if (!lease.IsAcquired)
            {
                return Outcome("rate_limited", OnlineAnswer.Failed(
                    $"is busy: this server sends it at most {settings.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} request(s) a second, and other calls are already waiting their turn"));
            }

            waiting = false;
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Url.Trim().TrimEnd('/') + pathAndQuery, UriKind.Absolute));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                var pause = PauseFor(response);
                gate.Pause(pause);
                return Outcome("http_error", OnlineAnswer.Failed($"answered HTTP {(int)response.StatusCode}{Paused(pause)}"));
            }

            if (response.Content.Headers.ContentLength > GeocodingOptions.MaxResponseBytes
                || await ReadAtMostAsync(response.Content, GeocodingOptions.MaxResponseBytes, timeout.Token) is not { } body)
            {
                return Failed("too_large", "answered with more than 1 MiB");
            }

            using var document = JsonDocument.Parse(body);
            var places = read(document.RootElement);
            return Outcome(places.Count > 0 ? "answered" : "nothing_found", new OnlineAnswer([.. places.Take(limit)], null));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return waiting
                ? Outcome("rate_limited", OnlineAnswer.Failed($"had no free turn within {Seconds(settings.Timeout)} (at most {settings.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} request(s) a second)"))
                : Failed("timeout", $"did not answer within {Seconds(settings.Timeout)}");
        }
        catch (HttpRequestException ex)
        {
            return Failed("unreachable", $"could not be reached ({Describe(ex)})");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            return Failed("malformed", "answered with something that is not the JSON it should send");
        }

        OnlineAnswer Failed(string outcome, string failure)
        {
            gate.Pause(settings.PauseAfterFailure);
            return Outcome(outcome, OnlineAnswer.Failed(failure + Paused(settings.PauseAfterFailure)));
        }

        OnlineAnswer Outcome(string outcome, OnlineAnswer answer)
        {
            metrics.GeocoderAsked(Source, outcome);
            if (answer.Failure is not null && outcome is not ("rate_limited" or "paused"))
            {
                logger.LogWarning("Geocoding provider {Provider} at {Url} {Failure}; answering from the offline gazetteer", settings.Provider, settings.Url, answer.Failure);
            }

            return answer;
        }
    }

    /// <summary>After an HTTP error: the provider's Retry-After when it says longer (up to an hour), else the configured pause.</summary>
    private TimeSpan PauseFor(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => TimeSpan.Zero,
        };
        return TimeSpan.FromTicks(Math.Min(Math.Max(retryAfter.Ticks, Settings.PauseAfterFailure.Ticks), LongestPause.Ticks));
    }

    private static string Paused(TimeSpan pause) =>
        pause > TimeSpan.Zero ? $"; it is left alone for {Seconds(pause)}" : "";

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    private static string Describe(HttpRequestException ex) => ex.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "its host name does not resolve",
        HttpRequestError.ConnectionError => "no connection",
        HttpRequestError.SecureConnectionError => "TLS failed",
        HttpRequestError.InvalidResponse or HttpRequestError.ResponseEnded => "its answer broke off",
        _ => ex.HttpRequestError.ToString(),
    };

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadAtMostAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
