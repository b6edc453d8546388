using Aspire.Hosting;
using MapServer.AppHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// The whole app as `dotnet run --project MapServer.AppHost` starts it, on the embedded Garnet
/// fallback (no Docker here), started once for every test in the "AppHost" collection.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly string[] Resources = ["redis-garnet", "mcp-map-server", "map-viewer"];

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("the AppHost has not started");

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MapServer_AppHost>(
            [$"{MapServer.AppHost.Extensions.RedisModeKey}={RedisMode.Embedded}"], TestContext.Current.CancellationToken);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        _app = await builder.BuildAsync(TestContext.Current.CancellationToken);

        using var startup = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        startup.CancelAfter(TimeSpan.FromMinutes(3));
        await _app.StartAsync(startup.Token);
        foreach (var resource in Resources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, startup.Token);
        }
    }

    public HttpClient CreateHttpClient(string resource) => App.CreateHttpClient(resource);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
