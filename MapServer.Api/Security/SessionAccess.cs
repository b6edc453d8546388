using MapServer.Api.Sessions;
using MapServer.Api.Telemetry;
using Microsoft.Extensions.Caching.Memory;

namespace MapServer.Api.Security;

/// <summary>
/// Whose sessions the caller may drive. With authentication on, a session belongs to the principal that
/// created it: anyone else's call on its id answers exactly as for an unknown session. Owners never change,
/// so each replica remembers them after the first look-up.
/// </summary>
public sealed class SessionAccess(
    IHttpContextAccessor http, SecuritySetup setup, IMapSessionStore store, IMemoryCache owners, MapRateLimiters limiters, MapMetrics metrics)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(10);

    /// <summary>The caller's principal name when authentication is on, else null (sessions belong to no one).</summary>
    public string? Principal => setup.IsOn ? MapPrincipal.NameOf(http.HttpContext?.User) : null;

    /// <summary>Throws <see cref="MapSessionNotFoundException"/> unless the caller may drive the session.</summary>
    public async Task CheckAsync(string sessionId, CancellationToken cancellationToken)
    {
        if (!setup.IsOn)
        {
            return;
        }

        var principal = Principal;
        var cacheKey = $"owner:{sessionId}";
        if (!owners.TryGetValue(cacheKey, out string? owner))
        {
            owner = await store.OwnerAsync(sessionId, cancellationToken);
            if (owner is not null)
            {
                owners.Set(cacheKey, owner, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = Remembered });
            }
        }

        if (principal is null || !string.Equals(owner, principal, StringComparison.Ordinal))
        {
            throw new MapSessionNotFoundException(sessionId);
        }
    }

    /// <summary>Creates a session owned by the caller; refused past the live-session cap of its principal.</summary>
    public async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        var principal = Principal;
        if (setup.IsOn && principal is null)
        {
            throw new UnauthorizedAccessException("Creating a map session needs an authenticated caller.");
        }

        using var allowance = await limiters.SessionCreations.AcquireAsync(MapRateLimiters.CallerOf(http.HttpContext), cancellationToken: cancellationToken);
        if (!allowance.IsAcquired)
        {
            metrics.RateLimited("session_creations");
            var seconds = RateLimitServices.RetryAfterSeconds(allowance);
            throw new MapLimitException(
                $"Too many new map sessions: at most {limiters.Limits.SessionsPerHour} an hour per caller. Reuse a session you have, or wait {(seconds + 59) / 60} min.",
                seconds);
        }

        var cap = limiters.Limits.MaxLiveSessionsPerPrincipal;
        if (principal is not null && cap > 0 && await store.CountOwnedAsync(principal, cancellationToken) >= cap)
        {
            throw new MapLimitException(
                $"You already have {cap} live map sessions, the most one caller may have. Reuse one of them (sessions expire after a week without changes) or ask the operator to raise MapServer:Limits:MaxLiveSessionsPerPrincipal.");
        }

        var id = await store.CreateAsync(principal, cancellationToken);
        metrics.SessionCreated();
        return id;
    }
}
