namespace MapServer.Tests.Kubernetes;

/// <summary>The Kubernetes publishing model stays out of `dotnet run --project MapServer.AppHost`.</summary>
[Trait("Tier", "Deployment")]
public sealed class RunModeTests
{
    [Fact]
    public async Task Run_mode_keeps_local_ports_and_the_embedded_redis_fallback()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MapServer_AppHost>(
            ["MapServer:Redis=Embedded"], TestContext.Current.CancellationToken);

        var resources = builder.Resources.ToDictionary(r => r.Name);
        Assert.Contains("redis-garnet", resources.Keys);

        var api = Assert.Single(resources["mcp-map-server"].Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", 5081), (api.Name, api.Port));
        Assert.NotEqual(8081, api.TargetPort);
        var viewer = Assert.Single(resources["map-viewer"].Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", 5080), (viewer.Name, viewer.Port));
    }
}
