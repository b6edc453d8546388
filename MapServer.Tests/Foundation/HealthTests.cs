using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Foundation;

[Trait("Tier", "App")]
public sealed class HealthTests
{
    [Fact]
    public async Task Health_turns_503_while_redis_is_down_and_recovers_when_it_returns()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        await using var api = new ApiInstance(redis.ConnectionString);
        using var client = api.CreateHttpClient();

        await WaitForStatusAsync(client, HttpStatusCode.OK);

        redis.Stop();
        await WaitForStatusAsync(client, HttpStatusCode.ServiceUnavailable);

        await redis.StartAsync();
        await WaitForStatusAsync(client, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_alone_serves_mcp_health_alive_and_metrics_in_production()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        await using var api = new ApiInstance(redis.ConnectionString);
        using var client = api.CreateHttpClient();

        foreach (var path in (string[])["/health", "/alive", "/metrics"])
        {
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await using var mcp = await api.CreateMcpClientAsync(TestContext.Current.CancellationToken);
        var tools = await mcp.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(tools, tool => tool.Name == "create_map_session");
    }

    private static async Task WaitForStatusAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode last;
        do
        {
            using var response = await client.GetAsync("/health", TestContext.Current.CancellationToken);
            last = response.StatusCode;
            if (last == expected)
            {
                return;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"/health stayed {(int)last}, expected {(int)expected}");
    }
}
