using System.Diagnostics;
using System.Net.Sockets;
using Garnet;
using StackExchange.Redis;
using Xunit.Sdk;

namespace MapServer.Tests.Infrastructure;

/// <summary>A real Redis-protocol server on loopback that a test can stop and start again.</summary>
public abstract class RedisServer : IAsyncDisposable
{
    public const string Garnet = "garnet";
    public const string RedisServerBinary = "redis-server";

    protected RedisServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The backends every Redis test runs against: the embedded default, and Debian's redis-server.</summary>
    public static TheoryData<string> Backends => [Garnet, RedisServerBinary];

    /// <summary>Starts the named backend; skips the test when redis-server is absent, unless CI says it must be there.</summary>
    public static async Task<RedisServer> StartAsync(string backend)
    {
        RedisServer server = backend switch
        {
            Garnet => new EmbeddedGarnet(FreePort()),
            _ => RedisServerProcess.Available()
                ? new RedisServerProcess(FreePort(), appendOnly: false)
                : Environment.GetEnvironmentVariable("MAPSERVER_REQUIRE_REDIS_SERVER") == "1"
                    ? throw new InvalidOperationException("redis-server is required (MAPSERVER_REQUIRE_REDIS_SERVER=1) but not on PATH")
                    : throw SkipException.ForSkip("redis-server is not installed here (apt-get install redis-server); the embedded Garnet run covers this test"),
        };
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        Start();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    protected abstract void Start();

    public abstract void Stop();

    public virtual ValueTask DisposeAsync()
    {
        Stop();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class EmbeddedGarnet(int port) : RedisServer(port)
    {
        private GarnetServer? _server;

        protected override void Start()
        {
            _server = new GarnetServer(["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--lua", "--lua-transaction-mode", "--index", "16m", "--memory", "512m"]);
            _server.Start();
        }

        public override void Stop()
        {
            _server?.Dispose();
            _server = null;
        }
    }
}
