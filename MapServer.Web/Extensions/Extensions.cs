using Microsoft.AspNetCore.Http.Features;
using MapServer.ServiceDefaults;
using MapServer.Web.Maps;
using MapServer.Web.Security;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MapServer.Web.Extensions;

public static class Extensions
{
    /// <summary>The api, resolved by service discovery (Aspire locally, the Service name in Kubernetes).</summary>
    public const string ApiAddress = "https+http://mcp-map-server";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton(ViewerSecurityHeaders.FromConfiguration(builder.Configuration, builder.Environment));
        builder.Services.AddMapAppReads();
        builder.Services.AddHttpClient<MapApiClient>(client => client.BaseAddress = new Uri(ApiAddress));

        // The browser reaches /events, /sessions and /basemap (place names) through this origin: no CORS, one ingress host.
        // YARP's client is not the resilience-wrapped factory client, so long SSE streams are not cut.
        builder.Services.AddReverseProxy()
            .LoadFromMemory(
                [
                    new RouteConfig { RouteId = "events", ClusterId = "api", Match = new RouteMatch { Path = "/events" } },
                    new RouteConfig { RouteId = "sessions", ClusterId = "api", Match = new RouteMatch { Path = "/sessions/{**rest}" } },
                    new RouteConfig { RouteId = "basemap", ClusterId = "api", Match = new RouteMatch { Path = "/basemap/{**rest}" } },
                ],
                [
                    new ClusterConfig
                    {
                        ClusterId = "api",
                        Destinations = new Dictionary<string, DestinationConfig> { ["api"] = new() { Address = ApiAddress } },
                        HttpRequest = new Yarp.ReverseProxy.Forwarder.ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromHours(1) },
                    },
                ])
            .AddServiceDiscoveryDestinationResolver();
    }

    /// <summary>How soon a viewer's stream tries again when the api could not be reached (a restart, a rollout).</summary>
    public const int EventsRetryMilliseconds = 1000;

    public static void MapApiForwarding(this WebApplication app) => app.MapReverseProxy(proxy => proxy.Use(async (context, next) =>
    {
        // A file import streams through as it comes; the api stops it at its own limit (MapServer:Imports:MaxFileBytes).
        if (IsImport(context.Request) && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        await next(context);

        // The api is restarting or unreachable: rather than a 502 (which browsers log as an error), the stream ends at
        // once with a retry hint, and EventSource reconnects quietly with its Last-Event-ID to catch up.
        if (context.GetForwarderErrorFeature() is not null && context.Request.Path == "/events" && !context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync($"retry: {EventsRetryMilliseconds}\n\n", context.RequestAborted);
        }
    }));

    private static bool IsImport(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/sessions") && request.Path.Value!.EndsWith("/imports", StringComparison.Ordinal);

    /// <summary>The Content-Security-Policy and the other security headers, on every response.</summary>
    public static void UseViewerSecurityHeaders(this WebApplication app)
    {
        var headers = app.Services.GetRequiredService<ViewerSecurityHeaders>();
        app.Use((context, next) =>
        {
            headers.Apply(context);
            return next(context);
        });
    }
}
