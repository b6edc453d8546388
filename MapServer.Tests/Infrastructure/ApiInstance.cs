using MapServer.Api.Sessions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// One api replica on a real Kestrel port on loopback, as it runs in a container: Production
/// environment, ConnectionStrings__redis when given, else the in-memory store. Unless the test says
/// otherwise, authentication is None and the per-caller limits are off (one test client stands for many callers).
/// </summary>
/// <remarks>Any api type marks its entry assembly; the api's Program clashes by name with the AppHost's.</remarks>
public sealed class ApiInstance : WebApplicationFactory<MapServerOptions>
{
    private readonly Dictionary<string, string?> _settings;

    public ApiInstance(string? redisConnectionString, IDictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["MapServer:Auth:Mode"] = "None",
            ["MapServer:Limits:McpRequestsPerSecond"] = "0",
            ["MapServer:Limits:ChangesPerSecondPerSession"] = "0",
            ["MapServer:Limits:SessionsPerHour"] = "0",
            ["MapServer:Limits:EventStreamsPerIp"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _settings["ConnectionStrings:redis"] = redisConnectionString;
        _settings["urls"] = "http://127.0.0.1:0"; // a free port; UseKestrel(0) races the server's own start (dotnet/aspnetcore#67714)

        UseKestrel();
        StartServer();
    }

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal));

    public IMapSessionStore Store => Services.GetRequiredService<IMapSessionStore>();

    /// <summary>A plain HttpClient to this replica (no test handlers, no resilience).</summary>
    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>A real MCP client speaking Streamable HTTP to /mcp.</summary>
    public async Task<McpClient> CreateMcpClientAsync(CancellationToken cancellationToken = default) => await CreateMcpClientAsync(bearer: null, cancellationToken);

    /// <summary>The same, sending <c>Authorization: Bearer &lt;key or token&gt;</c>.</summary>
    public async Task<McpClient> CreateMcpClientAsync(string? bearer, CancellationToken cancellationToken = default) =>
        await AgentConnection.ConnectAsync(
            new HttpClientTransportOptions
            {
                Endpoint = new Uri(BaseAddress, "/mcp"),
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = bearer is null ? null : new Dictionary<string, string> { ["Authorization"] = $"Bearer {bearer}" },
            },
            cancellationToken);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
