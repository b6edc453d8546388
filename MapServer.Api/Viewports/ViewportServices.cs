using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using StackExchange.Redis;

namespace MapServer.Api.Viewports;

public static class ViewportServices
{
    /// <summary>Rate-limiter policy for viewport reports: a token bucket per session.</summary>
    public const string RateLimitPolicy = "viewport-reports";

    /// <summary>The viewport store (Redis when the api has one) and the per-session rate limit on reports.</summary>
    public static void AddViewportReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IViewportStore>(services => services.GetService<IConnectionMultiplexer>() is { } redis
            ? ActivatorUtilities.CreateInstance<RedisViewportStore>(services, redis)
            : new InMemoryViewportStore());
        builder.Services.AddSingleton<ViewportReporting>();

        // Viewers throttle themselves to ~2 reports a second; the bucket allows bursts (several viewers of one session) and no more.
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.Request.RouteValues["sessionId"] as string ?? "",
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = 10,
                    TokensPerPeriod = 5,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        });
    }
}
