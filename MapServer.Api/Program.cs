using MapServer.Api.Apis;
using MapServer.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseMiddleware<HostFiltering>();
app.MapDefaultEndpoints();
app.MapEventsApi();
app.MapSessionsApi();
app.MapMcp("/mcp");

app.Run();
