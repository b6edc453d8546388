using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace MapServer.Api.Storage;

/// <summary>
/// Whether this replica can reach the Redis that holds the maps: connected and answering PING. Bounded by
/// <see cref="Timeout"/>, so /health answers within a second whatever Redis does (probes commonly time out at 1 s).
/// </summary>
public sealed class MapStorageHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public const string Name = "redis";

    /// <summary>How long the PING may take: under a second with room for the rest of the request.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return HealthCheckResult.Unhealthy("Redis is unreachable: tool calls fail fast and viewers keep their streams until it returns.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered PING in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Redis did not answer PING in time: {ex.GetType().Name}.");
        }
    }
}
