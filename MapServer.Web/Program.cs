using MapServer.Web.Components;
using MapServer.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapApiForwarding();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
