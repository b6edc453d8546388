using StackExchange.Redis;

namespace MapServer.Api.Sessions;

/// <summary>
/// The channel a session's changes are published on. On one Redis (or the
/// embedded Garnet) it is the classic channel <c>map_events:&lt;id&gt;</c> and <c>PUBLISH</c>. On Redis Cluster a
/// classic <c>PUBLISH</c> is copied to every node, so changes go out on the sharded channel
/// <c>{map_state:&lt;id&gt;}:changes</c> with <c>SPUBLISH</c>: it lives in the session's own hash slot, so the commit
/// script may publish on it and only the session's shard carries it.
/// </summary>
public sealed class RedisChangeChannels(IConnectionMultiplexer redis)
{
    private bool? _cluster;

    /// <summary>
    /// Whether the map-state Redis is a cluster, as the nodes say once one is connected; until then, whether the
    /// connection string names several endpoints (how a cluster is configured). Decided once, from a connected node.
    /// </summary>
    public bool IsCluster
    {
        get
        {
            if (_cluster is { } known)
            {
                return known;
            }

            var connected = redis.GetServers().Where(server => server.IsConnected).ToList();
            if (connected.Count == 0)
            {
                return ConfigurationOptions.Parse(redis.Configuration).EndPoints.Count > 1;
            }

            return (_cluster = connected.Any(server => server.ServerType == ServerType.Cluster)).Value;
        }
    }

    /// <summary>The channel the commit script publishes the session's changes on, and replicas subscribe to.</summary>
    public RedisChannel For(string sessionId) =>
        IsCluster ? RedisSessionKeys.ShardedEventsChannel(sessionId) : RedisSessionKeys.EventsChannel(sessionId);
}
