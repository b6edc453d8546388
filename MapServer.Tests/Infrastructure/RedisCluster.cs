using System.Diagnostics;
using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// A real Redis Cluster on loopback: Debian's redis-server nodes in cluster mode (AOF on, as in production), joined by
/// <c>redis-cli --cluster create</c> into masters with one replica each, so a test can spread sessions over shards and
/// kill a master for real.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    private readonly List<RedisServerProcess> _nodes;

    private RedisCluster(List<RedisServerProcess> nodes, int masters) => (_nodes, Masters) = (nodes, masters);

    /// <summary>How many shards (masters) the cluster was made with.</summary>
    public int Masters { get; }

    /// <summary>The connection string an api is given: every master's endpoint, which selects cluster mode.</summary>
    public string ConnectionString => string.Join(",", _nodes.Take(Masters).Select(node => node.ConnectionString));

    public static async Task<RedisCluster> StartAsync(int masters = 3)
    {
        RedisServerProcess.SkipUnlessAvailable();
        var nodes = new List<RedisServerProcess>();
        var cluster = new RedisCluster(nodes, masters);
        try
        {
            for (var i = 0; i < masters * 2; i++)
            {
                var node = new RedisServerProcess(RedisServer.FreePort(), appendOnly: true,
                    // The bus port is chosen too: the default (port + 10000) is past 65535 for a high free port.
                    ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000",
                     "--cluster-port", RedisServer.FreePort().ToString(CultureInfo.InvariantCulture)]);
                nodes.Add(node);
                await node.StartAsync();
            }

            // The first `masters` endpoints become masters, the rest their replicas.
            var create = await RunAsync("redis-cli", ["--cluster", "create", .. nodes.Select(n => n.ConnectionString), "--cluster-replicas", "1", "--cluster-yes"]);
            Assert.True(create.ExitCode == 0, $"redis-cli --cluster create failed: {create.Output}");
            await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until every node says the cluster is ok, every slot is served and every replica's link to its master is up
    /// (after a create or a failover).
    /// </summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var last = "";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var states = await Task.WhenAll(_nodes.Select(node => RunAsync("redis-cli", ["-p", node.Port.ToString(CultureInfo.InvariantCulture), "cluster", "info"])));
            var links = await Task.WhenAll(_nodes.Select(node => RunAsync("redis-cli", ["-p", node.Port.ToString(CultureInfo.InvariantCulture), "info", "replication"])));
            last = string.Join(" | ", states.Zip(links).Select(s => string.Join(" ", (s.First.Output + s.Second.Output).Split('\n')
                .Where(l => l.StartsWith("cluster_state:", StringComparison.Ordinal) || l.StartsWith("role:", StringComparison.Ordinal) || l.StartsWith("master_link_status:", StringComparison.Ordinal))
                .Select(l => l.Trim()))));
            var replicasCopying = links.Count(l => l.Output.Contains("master_link_status:up", StringComparison.Ordinal));
            if (states.All(s => s.Output.Contains("cluster_state:ok", StringComparison.Ordinal) && s.Output.Contains("cluster_slots_ok:16384", StringComparison.Ordinal))
                && replicasCopying == _nodes.Count - Masters)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"the cluster did not become healthy within {timeout.TotalSeconds:0} s: {last}");
    }

    /// <summary>Waits until <paramref name="node"/> says it is a master (a replica promoted after its master failed).</summary>
    public static async Task WaitUntilMasterAsync(RedisServerProcess node, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var role = "";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            role = (await RunAsync("redis-cli", ["-p", node.Port.ToString(CultureInfo.InvariantCulture), "role"])).Output;
            if (role.StartsWith("master", StringComparison.Ordinal))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the replica on port {node.Port} was not promoted within {timeout.TotalSeconds:0} s: {role.ReplaceLineEndings(" ")}");
    }

    /// <summary>The node process listening at <paramref name="endpoint"/> (as the cluster names it), to pause or kill.</summary>
    public RedisServerProcess Node(EndPoint endpoint) =>
        _nodes.Single(node => endpoint is IPEndPoint ip ? ip.Port == node.Port : ((DnsEndPoint)endpoint).Port == node.Port);

    /// <summary>A client of the cluster, as the api connects.</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionString);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
