using MapServer.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Data
var redis = builder.AddMapStateRedis("redis");

// Services
var api = builder.AddProject<Projects.MapServer_Api>("mcp-map-server")
    .WithRedis(redis)
    .WithHttpHealthCheck("/health");

// Apps
var viewer = builder.AddProject<Projects.MapServer_Web>("map-viewer")
    .WithReference(api)
    .WaitFor(api)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// get_map_image: the viewer's own renderer in headless Chromium, on the viewer's render page.
var renderer = builder.AddProject<Projects.MapServer_Renderer>("map-renderer")
    .WithEnvironment("Renderer__ViewerUrl", viewer.GetEndpoint("http"))
    .WithHttpHealthCheck("/health");

// Viewer links that create_map_session hands to agents point at the viewer, not the api.
api.WithEnvironment("MapServer__PublicBaseUrl", viewer.GetEndpoint("http"))
    .WithEnvironment("MapServer__RendererUrl", renderer.GetEndpoint("http"));

// Publish mode only: the model Aspirate turns into aspirate-output/ (docs/kubernetes.md).
builder.PublishForKubernetes(redis, api, viewer, renderer);

builder.Build().Run();
