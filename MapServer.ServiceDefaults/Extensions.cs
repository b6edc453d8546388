using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every MapServer service shares: OpenTelemetry, health checks, service discovery and resilience.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string MetricsEndpointPath = "/metrics";

    /// <summary>Meters the services publish themselves; <see cref="ConfigureOpenTelemetry"/> exports them.</summary>
    public const string MapServerMeterName = "MapServer";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MapServerMeterName)
                .AddPrometheusExporter());

        // Traces only where something collects them (the Aspire dashboard, a collector): recorded and
        // dropped, they cost every request an Activity and its tags for nothing.
        if (builder.Configuration.ExportsTraces())
        {
            telemetry
                .WithTracing(tracing => tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(aspNetCore =>
                        // Probes and scrapes are noise in traces.
                        aspNetCore.Filter = context => !IsInfrastructurePath(context.Request.Path))
                    .AddHttpClientInstrumentation())
                .UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);

        return builder;
    }

    /// <summary>
    /// Maps /health (every check), /alive (liveness only) and /metrics (Prometheus text) in every
    /// environment: Kubernetes probes and scrapers need them in production too.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains("live"),
        });
        // One scrape at a time: the exporter answers a scrape that meets another one's collection with an empty 500 and
        // leaves the retry to the scraper (two Prometheus replicas scraping one pod would meet now and then).
        var scrapes = new SemaphoreSlim(1, 1);
        app.UseWhen(http => http.Request.Path.StartsWithSegments(MetricsEndpointPath), metrics => metrics.Use(async (http, next) =>
        {
            await scrapes.WaitAsync(http.RequestAborted);
            try
            {
                await next(http);
            }
            finally
            {
                scrapes.Release();
            }
        }));
        app.MapPrometheusScrapingEndpoint(MetricsEndpointPath);

        return app;
    }

    /// <summary>Whether an OTLP endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT), so traces have somewhere to go.</summary>
    public static bool ExportsTraces(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool IsInfrastructurePath(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments(HealthEndpointPath)
        || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(MetricsEndpointPath);
}
