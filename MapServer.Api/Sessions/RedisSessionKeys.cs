using StackExchange.Redis;

namespace MapServer.Api.Sessions;

/// <summary>
/// Where a session lives in Redis. Every key of a session shares the state key's hash slot (a hash tag), so one script
/// can write them together, also on Redis Cluster.
/// </summary>
public static class RedisSessionKeys
{
    /// <summary>The session's state key: a plain string, so <c>redis-cli GET map_state:&lt;id&gt;</c> shows it.</summary>
    public static RedisKey StateKey(string sessionId) => $"map_state:{sessionId}";

    /// <summary>The replay buffer shares the state key's hash slot (hash tag) without matching <c>map_state:*</c>.</summary>
    public static RedisKey EventsKey(string sessionId) => $"{{map_state:{sessionId}}}:events";

    /// <summary>The channel every change of the session is published on.</summary>
    public static RedisChannel EventsChannel(string sessionId) => RedisChannel.Literal($"map_events:{sessionId}");

    /// <summary>The channel a session's changes are published on with SPUBLISH on Redis Cluster: in the state key's hash slot.</summary>
    public static RedisChannel ShardedEventsChannel(string sessionId) => RedisChannel.Sharded($"{{map_state:{sessionId}}}:changes");

    /// <summary>Who created the session (auth on): same hash slot and TTL as the state.</summary>
    public static RedisKey OwnerKey(string sessionId) => $"{{map_state:{sessionId}}}:owner";

    /// <summary>An owner's sessions scored by when they expire unless changed: counts live sessions per principal.</summary>
    public static RedisKey OwnedSessionsKey(string owner) => $"map_owner:{owner}";
}
