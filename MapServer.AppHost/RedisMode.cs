namespace MapServer.AppHost;

/// <summary>Which Redis the map state lives in, and why.</summary>
public enum RedisMode
{
    /// <summary>The container when a container runtime answers, else the embedded server.</summary>
    Auto,
    /// <summary>The Redis container (<c>AddRedis</c>); always so when publishing.</summary>
    Container,
    /// <summary>Microsoft Garnet run as a project: no Docker, no redis-server needed.</summary>
    Embedded,
}
