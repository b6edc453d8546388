using MapServer.Web.Components;
using MapServer.Web.Extensions;
using MapServer.Web.Maps;
using MapServer.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseViewerSecurityHeaders();
app.MapDefaultEndpoints();
app.UseMapAppReads(request => MapAppReads.IsViewerAsset(request) || MapAppReads.IsSessionRead(request));
app.UseAntiforgery();
app.MapStaticAssets();
app.MapGlyphs();
app.MapApiForwarding();
app.MapRazorComponents<App>();

app.Run();
