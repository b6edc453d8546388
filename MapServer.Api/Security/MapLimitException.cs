namespace MapServer.Api.Security;

/// <summary>A request that would exceed one of the configured limits; the message says what to do instead. Nothing was changed.</summary>
public sealed class MapLimitException(string message, int? retryAfterSeconds = null) : Exception(message)
{
    /// <summary>Seconds until retrying may succeed, if waiting helps at all.</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
}
