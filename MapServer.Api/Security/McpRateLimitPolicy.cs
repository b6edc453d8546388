using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace MapServer.Api.Security;

/// <summary>/mcp requests per principal (per client IP when anonymous), counted across replicas.</summary>
public sealed class McpRateLimitPolicy(MapRateLimiters limiters) : IRateLimiterPolicy<string>
{
    public const string Name = "mcp";

    /// <summary>None of its own: the limiter's global handler (<see cref="RateLimitServices.RejectAsync"/>) answers.</summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => limiters.McpPartition(MapRateLimiters.CallerOf(httpContext));
}
