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
app.MapRazorComponents<App>()
    // The framework would add a second policy of its own (frame-ancestors 'self'); ours already says so.
    .AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);

app.Run();
