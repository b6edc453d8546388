using StackExchange.Redis;

namespace MapServer.Api.Storage;

/// <summary>
/// Recognises a failure of the Redis that holds the maps (down, unreachable, stuck, loading, full) and says
/// what it means for the caller: whether the change can have been stored, and what to do next.
/// </summary>
public static class MapStorageFailure
{
    /// <summary>Seconds a caller should wait before retrying: a restarted Redis usually answers within this.</summary>
    public const int RetryAfterSeconds = 2;

    public static bool Is(Exception exception) => exception is RedisException or RedisTimeoutException;

    /// <summary>
    /// True when the command reached Redis and only the answer is missing (a timeout after sending): Redis may
    /// still run it, so the change may be stored. False when it never left this replica: nothing was changed.
    /// </summary>
    public static bool MayHaveApplied(Exception exception) => exception switch
    {
        RedisTimeoutException timeout => timeout.Commandstatus is CommandStatus.Sent or CommandStatus.Unknown,
        RedisConnectionException connection => connection.CommandStatus is CommandStatus.Sent,
        _ => false,
    };

    /// <summary>What an agent (or a person) is told: the cause, whether anything changed, and what to do.</summary>
    public static string Describe(Exception exception, bool changesMap)
    {
        if (exception is RedisServerException server && server.Message.StartsWith("OOM", StringComparison.Ordinal))
        {
            return "Map storage is full (Redis reached its memory limit), so nothing was changed. Remove layers or annotations you no longer need, or ask the operator to give Redis more memory.";
        }

        if (changesMap && MayHaveApplied(exception))
        {
            return $"Map storage (Redis) did not confirm in time whether this change was stored. Wait {RetryAfterSeconds} s, then call get_map_state (or get_history) to see whether it is there before sending it again.";
        }

        return changesMap
            ? $"Map storage (Redis) is unavailable right now, so nothing was changed. Retry in a few seconds ({RetryAfterSeconds} s or more); viewers keep their map and catch up when it returns."
            : $"Map storage (Redis) is unavailable right now. Retry in a few seconds ({RetryAfterSeconds} s or more).";
    }
}
