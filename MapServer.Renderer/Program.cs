using MapServer.Renderer.Rendering;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddOptions<RendererOptions>().BindConfiguration(RendererOptions.Section)
    .Validate(options => options.Problem() is null, "Renderer settings are invalid: see Renderer:ViewerUrl, Pages, QueueLimit, RenderTimeout and SettleTimeout.")
    .ValidateOnStart();
builder.Services.AddSingleton<ChromiumPool>();
builder.Services.AddHealthChecks().AddCheck<ChromiumHealthCheck>("chromium");

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapRenderApi();

// Chromium and a tab on the render page start with the service, not with the first image.
app.Lifetime.ApplicationStarted.Register(() => _ = app.Services.GetRequiredService<ChromiumPool>().OpenFirstTabAsync(app.Lifetime.ApplicationStopping));

app.Run();
