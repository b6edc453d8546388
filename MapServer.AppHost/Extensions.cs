using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace MapServer.AppHost;

public static class Extensions
{
    /// <summary>Configuration key that forces the choice: Auto (default), Container or Embedded.</summary>
    public const string RedisModeKey = "MapServer:Redis";

    /// <summary>
    /// Adds the Redis that holds map state under the connection name <paramref name="name"/>:
    /// the Redis container, or, where no container runtime answers, an embedded Garnet server.
    /// </summary>
    public static MapStateRedis AddMapStateRedis(this IDistributedApplicationBuilder builder, string name)
    {
        var (mode, reason) = ChooseRedisMode(builder);
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MapServer.AppHost")
                .LogInformation("Map state Redis: {Mode} ({Reason})", mode == RedisMode.Container ? "Redis container" : "embedded Garnet", reason);
            return Task.CompletedTask;
        });

        if (mode == RedisMode.Container)
        {
            var container = builder.AddRedis(name);
            return new MapStateRedis(container, container);
        }

        var port = FreeLoopbackPort();
        var garnet = builder.AddProject<Projects.MapServer_Garnet>($"{name}-garnet")
            .WithEndpoint("tcp", endpoint =>
            {
                endpoint.UriScheme = "tcp";
                endpoint.Port = port;
                endpoint.TargetPort = port;
                endpoint.IsProxied = false;
            })
            // Lua scripts are atomic in Garnet only in transaction mode; the index and memory sizes
            // keep a dev server small while leaving room for many sessions.
            .WithArgs("--bind", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--lua", "--lua-transaction-mode", "--index", "16m", "--memory", "1g")
            .WithRespPingHealthCheck(port);

        var connection = builder.AddConnectionString(name, ReferenceExpression.Create($"127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"));
        return new MapStateRedis(connection, garnet);
    }

    /// <summary>Gives the api the map-state Redis as <c>ConnectionStrings__redis</c> and starts it once Redis answers.</summary>
    public static IResourceBuilder<ProjectResource> WithRedis(this IResourceBuilder<ProjectResource> api, MapStateRedis redis) =>
        api
            // Only the connection string: Aspire 13's default REDIS_URI is an annotated.string Aspirate cannot resolve.
            .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString | ReferenceEnvironmentInjectionFlags.ServiceDiscovery)
            .WithReference(redis.Connection)
            .WaitFor(redis.Server);

    private static (RedisMode Mode, string Reason) ChooseRedisMode(IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return (RedisMode.Container, "publishing: production runs Redis");
        }

        var configured = builder.Configuration.GetValue(RedisModeKey, RedisMode.Auto);
        if (configured != RedisMode.Auto)
        {
            return (configured, $"{RedisModeKey}={configured}");
        }

        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker";
        return ContainerRuntimeAnswers(runtime)
            ? (RedisMode.Container, $"container runtime '{runtime}' answers")
            : (RedisMode.Embedded, $"no container runtime answers ('{runtime} info' failed); set {RedisModeKey}=Container to force the container");
    }

    /// <summary>Aspire checks the runtime only after Build(), too late to choose, so ask it directly.</summary>
    private static bool ContainerRuntimeAnswers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no such CLI
        }
    }

    private static IResourceBuilder<ProjectResource> WithRespPingHealthCheck(this IResourceBuilder<ProjectResource> server, int port)
    {
        var checkName = $"{server.Resource.Name}-ping";
        server.ApplicationBuilder.Services.AddHealthChecks().AddAsyncCheck(checkName, async cancellationToken =>
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                var stream = client.GetStream();
                await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), cancellationToken);
                var reply = new byte[16];
                var read = await stream.ReadAsync(reply, cancellationToken);
                return Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("PING did not answer PONG");
            }
            catch (SocketException ex)
            {
                return HealthCheckResult.Unhealthy($"not listening on port {port}", ex);
            }
        });
        return server.WithHealthCheck(checkName);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
