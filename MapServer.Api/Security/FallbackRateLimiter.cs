using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace MapServer.Api.Security;

/// <summary>
/// A limit shared by every replica through Redis that never fails a request because Redis did: while Redis is
/// unreachable (or errs) this replica counts alone with the same limit, and goes back to the shared count when
/// Redis returns.
/// </summary>
public sealed class FallbackRateLimiter(RateLimiter shared, RateLimiter local, IConnectionMultiplexer redis, ILogger logger) : RateLimiter
{
    /// <summary>How long the shared (Redis) limiter may take before this replica decides alone.</summary>
    private static readonly TimeSpan SharedBudget = TimeSpan.FromMilliseconds(250);

    public override TimeSpan? IdleDuration => shared.IdleDuration is { } a && local.IdleDuration is { } b ? (a < b ? a : b) : null;

    public override RateLimiterStatistics? GetStatistics() => shared.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        redis.IsConnected ? Try(() => shared.AttemptAcquire(permitCount), permitCount) : local.AttemptAcquire(permitCount);

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            return await local.AcquireAsync(permitCount, cancellationToken);
        }

        try
        {
            // A limit is worth little once it costs more than the call: a slow Redis falls back quickly.
            return await shared.AcquireAsync(permitCount, cancellationToken).AsTask().WaitAsync(SharedBudget, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // Any failure, not only a RedisException: one call in CI answered 500 (a RedisException would have given
            // 503) the moment Redis went away. A failing shared count must never fail the call.
            logger.LogWarning(ex, "Rate limit store unreachable; limiting on this replica alone until it answers.");
            return await local.AcquireAsync(permitCount, cancellationToken);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            shared.Dispose();
            local.Dispose();
        }

        base.Dispose(disposing);
    }

    private RateLimitLease Try(Func<RateLimitLease> acquire, int permitCount)
    {
        try
        {
            return acquire();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Rate limit store unreachable; limiting on this replica alone until it answers.");
            return local.AttemptAcquire(permitCount);
        }
    }
}
