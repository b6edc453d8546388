using System.Text.Json.Nodes;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace MapServer.Tests.Events;

/// <summary>
/// The api behind a real nginx configured like the production Ingress (proxy buffering off, hour-long
/// read/send timeouts): MCP calls and live SSE changes pass through it.
/// </summary>
[Trait("Tier", "App")]
public sealed class IngressTests
{
    [Fact]
    public async Task Changes_stream_live_through_an_nginx_proxy_set_up_like_the_ingress()
    {
        NginxProxy.SkipUnlessInstalled();
        await using var api = new ApiInstance(redisConnectionString: null);
        await using var proxy = await NginxProxy.StartAsync(api.BaseAddress);
        using var http = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        await using var agent = await AgentConnection.ConnectAsync(
            new HttpClientTransportOptions { Endpoint = new Uri(proxy.BaseAddress, "/mcp") }, TestContext.Current.CancellationToken);
        var created = await agent.CallToolAsync("create_map_session", cancellationToken: TestContext.Current.CancellationToken);
        var sessionId = created.StructuredContent!.Value.GetProperty("session_id").GetString();

        await using var viewer = await SseViewer.OpenAsync(http, $"/events?session={sessionId}");
        Assert.Equal("snapshot", (await viewer.NextAsync()).EventType);

        await agent.CallToolAsync("set_map_view", new Dictionary<string, object?> { ["session_id"] = sessionId, ["zoom"] = 7 }, cancellationToken: TestContext.Current.CancellationToken);
        var change = await viewer.NextAsync();
        Assert.Equal("change", change.EventType);
        Assert.Equal(7, JsonNode.Parse(change.Data)!["patch"]!["zoom"]!.GetValue<double>()); // a buffering proxy would hold it back past NextAsync's deadline
    }
}
