using System.Text.Json.Nodes;
using MapServer.Api.Data;
using MapServer.Api.Events;
using MapServer.Api.Images;
using MapServer.Api.Importing;
using MapServer.Api.Mcp;
using MapServer.Api.Places;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using MapServer.Api.Storage;
using MapServer.Api.Telemetry;
using MapServer.Api.Viewports;
using MapServer.ServiceDefaults;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MapServer.Api.Extensions;

public static class Extensions
{
    /// <summary>Connection name of the Redis that holds map state (ConnectionStrings__redis).</summary>
    public const string RedisConnectionName = "redis";

    /// <summary>The MCP SDK's meter and activity source.</summary>
    private const string McpSdkTelemetry = "Experimental.ModelContextProtocol";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MapServerOptions>().Bind(builder.Configuration.GetSection(MapServerOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new MapChanges(services.GetRequiredService<TimeProvider>(), MapSizeLimits.From(
            services.GetRequiredService<IOptions<MapServerOptions>>().Value, services.GetRequiredService<IOptions<LimitOptions>>().Value)));
        builder.Services.AddOptions<SourceUrlOptions>().Bind(builder.Configuration.GetSection(SourceUrlOptions.Section));
        builder.Services.AddSingleton<SourceUrlRules>();
        builder.Services.AddSingleton<ViewLinks>();
        builder.Services.AddMapAppReads();
        builder.Services.AddSingleton<MapImages>();
        // Without the default retries and 10 s attempt timeout: an image may take longer, and a busy renderer is not retried.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is the documented way to opt one client out.
        builder.Services.AddHttpClient(MapImages.HttpClientName, client => client.Timeout = MapImages.Timeout).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddGeocoding();
        builder.Services.AddSingleton<MapMetrics>();
        builder.Services.AddMemoryCache(cache => cache.SizeLimit = 100_000);
        builder.Services.AddHttpContextAccessor();

        // Redis whenever one is configured (every deployment); in-memory when the api runs alone.
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(RedisConnectionName)))
        {
            var storageTimeout = (int)builder.Configuration.GetSection(MapServerOptions.Section).Get<MapServerOptions>()!.StorageTimeout.TotalMilliseconds;
            builder.AddRedisClient(
                RedisConnectionName,
                settings =>
                {
                    settings.DisableTracing = !builder.Configuration.ExportsTraces(); // its profiler records every command
                    settings.DisableHealthChecks = true; // MapStorageHealthCheck: bounded, so /health answers within a second
                },
                redis =>
                {
                    redis.AbortOnConnectFail = false;
                    // Commands wait for a reconnect (the backlog) at most this long, then fail with a clear tool error.
                    redis.ConnectTimeout = storageTimeout;
                    redis.SyncTimeout = storageTimeout;
                    redis.AsyncTimeout = storageTimeout;
                    redis.HeartbeatInterval = TimeSpan.FromMilliseconds(250); // how often timeouts are checked: keeps failures close to the timeout
                    redis.KeepAlive = 5; // seconds: a silently dropped link (no RST) is noticed and re-established quickly
                });
            builder.Services.AddHealthChecks().AddCheck<MapStorageHealthCheck>(MapStorageHealthCheck.Name, timeout: MapStorageHealthCheck.Timeout);
            builder.Services.AddSingleton<IMapSessionStore, RedisMapSessionStore>();
            builder.Services.AddSingleton<IMapEventFeed, RedisMapEventFeed>();
            builder.Services.AddSingleton<ILayerDataStore, RedisLayerDataStore>();
        }
        else
        {
            builder.Services.AddSingleton(services => new InMemoryMapEventFeed(services.GetRequiredService<IOptions<MapServerOptions>>().Value.ReplayBufferLength));
            builder.Services.AddSingleton<IMapEventFeed>(services => services.GetRequiredService<InMemoryMapEventFeed>());
            builder.Services.AddSingleton<IMapSessionStore, InMemoryMapSessionStore>();
            builder.Services.AddSingleton<ILayerDataStore, InMemoryLayerDataStore>();
        }

        builder.Services.AddSingleton<LayerDataStorage>();
        builder.AddFileImports();
        builder.Services.AddSingleton<MapEventHub>();
        builder.AddViewportReports();
        builder.AddMapRateLimits();
        builder.Services.AddScoped<SessionAccess>();
        builder.Services.AddScoped<MapSessionGateway>();
        builder.Services.AddScoped<PublicLinks>();
        builder.Services.AddSingleton<LayerCatalog>();

        builder.Services.AddExceptionHandler<MapStorageExceptionHandler>();
        builder.Services.AddProblemDetails();

        builder.Services.AddMcpServer(server =>
            {
                server.ServerInfo = new() { Name = "MapServer", Version = "1.0.0" };
                // show_map's live map inside the chat (MCP Apps): an empty object says the server supports it.
                server.Capabilities = new() { Extensions = new Dictionary<string, object> { [MapApp.ExtensionId] = new JsonObject() } };
            })
            .WithHttpTransport(http => http.Stateless = true)
            .WithMessageFilters(filters => filters.AddIncomingFilter(McpMessageGuard.Wrap))
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolCallGuard.Wrap).AddReadResourceFilter(ResourceReadGuard.Wrap))
            .WithToolsFromAssembly(serializerOptions: ToolJson.Options)
            .WithPromptsFromAssembly()
            .WithResourcesFromAssembly();

        // The SDK's own meter (mcp.server.operation.duration) and, where traces are collected, its spans.
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(McpSdkTelemetry));
        if (builder.Configuration.ExportsTraces())
        {
            telemetry.WithTracing(tracing => tracing.AddSource(McpSdkTelemetry));
        }

        builder.Services.AddSingleton<IPostConfigureOptions<McpServerOptions>, ToolDefinitions>();
    }
}
