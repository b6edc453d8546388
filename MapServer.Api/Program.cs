using MapServer.Api.Apis;
using MapServer.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseMiddleware<HostFiltering>();
app.MapDefaultEndpoints();
app.UseRateLimiter();
app.MapEventsApi();
app.MapSessionsApi();
app.MapLayerDataApi();
app.MapViewportApi();
app.MapMcp("/mcp");

app.Run();
