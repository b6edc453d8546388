using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Places;

/// <summary>
/// The online geocoder's turns, one for the whole process: requests start at least 1/RequestsPerSecond apart, at most as
/// many calls wait for their turn as can have it within half the timeout (the others answer offline at once), and after
/// a failure the provider is left alone for a while.
/// </summary>
/// <remarks>
/// A sliding window of one permit, in segments: a permit taken in one segment comes back when that segment leaves the
/// window, between (segments − 1)/segments of the window and the whole window later. The window is the period times
/// segments/(segments − 1), so turns are at least one period apart (at most about 1.1 periods for slow rates). A token
/// bucket would not do: it refills on its own clock, so two requests could meet either side of a refill.
/// </remarks>
public sealed class OnlineGeocoderGate : IDisposable
{
    private readonly SlidingWindowRateLimiter? _limiter;
    private readonly TimeProvider _time;
    private long _pausedUntilTicks;

    public OnlineGeocoderGate(IOptions<GeocodingOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var settings = options.Value;
        if (settings.Provider == GeocodingProvider.None || !(settings.RequestsPerSecond > 0))
        {
            return; // no provider, no timer
        }

        var period = TimeSpan.FromSeconds(1 / settings.RequestsPerSecond);
        var segments = (int)Math.Clamp(period.TotalMilliseconds / 10, 2, 10); // segments of 10 ms at least
        var window = period * segments / (segments - 1);
        QueueLimit = (int)Math.Floor(settings.Timeout / 2 / window);
        _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = 1,
            Window = window,
            SegmentsPerWindow = segments,
            QueueLimit = QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>How many calls may wait for their turn at once.</summary>
    public int QueueLimit { get; }

    /// <summary>A turn: at once, after waiting in the queue, or refused (not acquired) when the queue is full. Throws when cancelled while waiting.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) =>
        _limiter?.AcquireAsync(1, cancellationToken) ?? throw new InvalidOperationException("No geocoding provider is configured.");

    /// <summary>How much longer the provider is left alone, or null when it may be asked.</summary>
    public TimeSpan? PausedFor()
    {
        var left = new DateTime(Interlocked.Read(ref _pausedUntilTicks), DateTimeKind.Utc) - _time.GetUtcNow().UtcDateTime;
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Leaves the provider alone for <paramref name="duration"/> from now, unless it already is for longer.</summary>
    public void Pause(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        var until = (_time.GetUtcNow() + duration).UtcTicks;
        var seen = Interlocked.Read(ref _pausedUntilTicks);
        while (seen < until && Interlocked.CompareExchange(ref _pausedUntilTicks, until, seen) is var previous && previous != seen)
        {
            seen = previous;
        }
    }

    public void Dispose() => _limiter?.Dispose();
}
