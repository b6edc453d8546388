using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace MapServer.Tests.Foundation;

[Trait("Tier", "App")]
[Collection(AppHostCollection.Name)]
public sealed class AppHostTests(AppHostFixture app)
{
    [Fact]
    public async Task Every_resource_reports_healthy_on_the_embedded_redis()
    {
        foreach (var resource in AppHostFixture.Resources)
        {
            Assert.True(app.App.ResourceNotifications.TryGetCurrentState(resource, out var state), $"{resource} is not known");
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
        }
    }

    [Theory]
    [InlineData("/health", "Healthy")]
    [InlineData("/alive", "Healthy")]
    public async Task Api_answers_health_probes(string path, string expected)
    {
        using var client = app.CreateHttpClient("mcp-map-server");
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Api_serves_prometheus_metrics_with_aspnetcore_runtime_and_own_meters()
    {
        using var client = app.CreateHttpClient("mcp-map-server");
        await using var mcp = await AgentConnection.ConnectAsync(
            new HttpClientTransportOptions { Endpoint = new Uri(client.BaseAddress!, "/mcp") }, TestContext.Current.CancellationToken);
        var created = await mcp.CallToolAsync("create_map_session", cancellationToken: TestContext.Current.CancellationToken);
        var sessionId = created.StructuredContent!.Value.GetProperty("session_id").GetString();
        var moved = await mcp.CallToolAsync("set_map_view", new Dictionary<string, object?> { ["session_id"] = sessionId, ["zoom"] = 5 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEqual(true, moved.IsError);

        var metrics = await client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", metrics);
        Assert.Contains("dotnet_gc_", metrics);
        Assert.Contains("mapserver_", metrics);
    }

    [Fact]
    public async Task Viewer_home_page_answers()
    {
        using var client = app.CreateHttpClient("map-viewer");
        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("MapServer", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Viewer_reaches_the_api_through_service_discovery()
    {
        using var viewer = app.CreateHttpClient("map-viewer");
        using var created = await viewer.PostAsync("/sessions", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
