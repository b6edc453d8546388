namespace MapServer.Api.Sessions;

/// <summary>What kind of failure a <see cref="MapProblem"/> is: each transport answers a kind its own way (a tool error, an HTTP status).</summary>
public enum MapProblemKind
{
    /// <summary>The session does not exist or has expired.</summary>
    NotFound,

    /// <summary>The change or request breaks a rule of the map (a bad argument, a version conflict, a size limit).</summary>
    Refused,

    /// <summary>A rate limit: retrying after <see cref="MapProblem.RetryAfterSeconds"/> may succeed.</summary>
    Limited,

    /// <summary>Map storage (Redis) did not answer: the server's state, not the caller's mistake.</summary>
    StorageUnavailable,
}
