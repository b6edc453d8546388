using MapServer.Api.Places;
using MapServer.Api.Apis;
using MapServer.Api.Extensions;
using MapServer.Api.Mcp;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using MapServer.ServiceDefaults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

if (KeygenCommand.IsInvoked(args))
{
    return KeygenCommand.Run(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();

// Streams end at once on SIGTERM and calls finish in milliseconds; this bounds a stuck one, inside the overlay's 30 s grace period minus its 5 s preStop.
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));
var security = builder.AddMapServerSecurity();
builder.AddApplicationServices();

var app = builder.Build();

if (security.Problem is { } problem)
{
    app.Logger.LogCritical("{Problem}", problem);
    await app.DisposeAsync(); // flushes the log
    return 1;
}

// Order matters: who is calling (trusted proxies only), which host, who they are, how much they may, what they may.
if (security.TrustsProxies)
{
    app.UseForwardedHeaders();
}

app.UseExceptionHandler();
app.UseMapAppReads(MapAppReads.IsSessionRead); // the map inside a chat reads the stream and layer data from its host's origin
app.UseMiddleware<HostFiltering>();
app.MapDefaultEndpoints();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.MapEventsApi();
app.MapSessionsApi();
app.MapLayerDataApi();
app.MapImportsApi();
app.MapLayerExportApi();
app.MapViewportApi();
app.MapBasemapPlacesApi();
app.UseWhen(http => http.Request.Path.StartsWithSegments("/mcp"), mcp => mcp.UseMiddleware<McpRequestGuard>());
app.MapMcp("/mcp")
    .RequireAuthorization(SecuritySetup.PrincipalPolicy)
    .RequireRateLimiting(McpRateLimitPolicy.Name)
    .WithMetadata(new RequestSizeLimitAttribute(app.Services.GetRequiredService<IOptions<MapServerOptions>>().Value.MaxMcpRequestBytes));

app.Run();
return 0;
