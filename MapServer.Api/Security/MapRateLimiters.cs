using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;

namespace MapServer.Api.Security;

/// <summary>
/// The configured limits as rate limiters: token buckets shared by all replicas through Redis (when the api
/// has one, with a local fallback), partitioned by caller or session. A limit of 0 is no limit.
/// </summary>
public sealed class MapRateLimiters : IDisposable
{
    private readonly LimitOptions _limits;
    private readonly IConnectionMultiplexer? _redis;
    private readonly ILogger<MapRateLimiters> _logger;

    public MapRateLimiters(IOptions<LimitOptions> limits, ILogger<MapRateLimiters> logger, IServiceProvider services)
    {
        _limits = limits.Value;
        _redis = services.GetService<IConnectionMultiplexer>();
        _logger = logger;
        Changes = Partitioned("changes", _limits.ChangesPerSecondPerSession, _limits.ChangeBurst, TimeSpan.FromSeconds(1));
        // One new session every hour/SessionsPerHour, up to SessionsPerHour at once (0: no limit, no bucket).
        SessionCreations = Partitioned("sessions", 1, _limits.SessionsPerHour, TimeSpan.FromHours(1) / Math.Max(1, _limits.SessionsPerHour));
    }

    /// <summary>Changes, by session id.</summary>
    public PartitionedRateLimiter<string> Changes { get; }

    /// <summary>New sessions, by caller.</summary>
    public PartitionedRateLimiter<string> SessionCreations { get; }

    public LimitOptions Limits => _limits;

    /// <summary>The bucket a caller's /mcp requests draw from (see <see cref="CallerOf"/>).</summary>
    public RateLimitPartition<string> McpPartition(string caller) =>
        Bucket("mcp", caller, _limits.McpRequestsPerSecond, _limits.McpBurst, TimeSpan.FromSeconds(1));

    /// <summary>Whom a request counts against: its principal, else its client address (as a trusted proxy forwards it).</summary>
    public static string CallerOf(HttpContext? http) =>
        MapPrincipal.NameOf(http?.User) ?? $"ip:{http?.Connection.RemoteIpAddress ?? IPAddress.None}";

    public void Dispose()
    {
        Changes.Dispose();
        SessionCreations.Dispose();
    }

    private PartitionedRateLimiter<string> Partitioned(string name, int tokensPerPeriod, int burst, TimeSpan period) =>
        PartitionedRateLimiter.Create<string, string>(key => Bucket(name, key, tokensPerPeriod, burst, period));

    private RateLimitPartition<string> Bucket(string name, string key, int tokensPerPeriod, int burst, TimeSpan period) =>
        tokensPerPeriod <= 0 || burst <= 0
            ? RateLimitPartition.GetNoLimiter(key)
            : RateLimitPartition.Get(key, _ => TokenBucket($"{name}:{key}", tokensPerPeriod, burst, period));

    private RateLimiter TokenBucket(string key, int tokensPerPeriod, int burst, TimeSpan period)
    {
        var local = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
        if (_redis is null)
        {
            return local;
        }

        var shared = new RedisTokenBucketRateLimiter<string>(key, new RedisTokenBucketRateLimiterOptions
        {
            ConnectionMultiplexerFactory = () => _redis,
            TokenLimit = burst,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = period,
        });
        return new FallbackRateLimiter(shared, local, _redis, _logger);
    }
}
