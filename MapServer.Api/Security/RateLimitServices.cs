using System.Globalization;
using System.Threading.RateLimiting;
using MapServer.Api.Apis;
using MapServer.Api.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Security;

/// <summary>The limits of <see cref="LimitOptions"/> as ASP.NET Core rate limiting: 429 with Retry-After and a body saying what to do.</summary>
public static class RateLimitServices
{
    /// <summary>Open /events streams per client IP on one replica (streams last hours: a concurrency limit, not a rate).</summary>
    public const string EventStreamsPolicy = "event-streams";

    public static void AddMapRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LimitOptions>().Bind(builder.Configuration.GetSection(LimitOptions.Section));
        builder.Services.AddSingleton<MapRateLimiters>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests; // every policy's, the viewport reports' too
            limiter.AddPolicy<string, McpRateLimitPolicy>(McpRateLimitPolicy.Name);
            limiter.AddPolicy(EventStreamsPolicy, http =>
            {
                var perIp = http.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value.EventStreamsPerIp;
                var ip = http.Connection.RemoteIpAddress?.ToString() ?? "";
                return perIp <= 0
                    ? RateLimitPartition.GetNoLimiter(ip)
                    : RateLimitPartition.GetConcurrencyLimiter(ip, _ => new ConcurrencyLimiterOptions { PermitLimit = perIp, QueueLimit = 0 });
            });
            limiter.OnRejected = RejectAsync;
        });
    }

    /// <summary>Whole seconds (at least one) until a refused caller may try again: what the limiter says, else one.</summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;

    public static void SetRetryAfter(HttpResponse response, int seconds) =>
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var seconds = RetryAfterSeconds(rejected.Lease);
        var response = rejected.HttpContext.Response;
        rejected.HttpContext.RequestServices.GetService<MapMetrics>()?.RateLimited((rejected.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "other");
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        SetRetryAfter(response, seconds);
        await response.WriteAsJsonAsync(
            new ApiError("Too many requests from this caller.", $"Wait {seconds} s (Retry-After) and send the request again; nothing was done."),
            cancellationToken);
    }
}
