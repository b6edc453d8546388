using MapServer.Tests.Infrastructure;
using MapServer.Tests.Reliability;

namespace MapServer.Tests.Foundation;

/// <summary>What an operator's Prometheus scrapes from /metrics: tool calls by outcome, storage, viewers, events, sessions, the SDK's own.</summary>
[Trait("Tier", "App")]
public sealed class MetricsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_count_tool_calls_by_tool_and_outcome_storage_commits_viewers_events_and_sessions()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        await using var api = new ApiInstance(redis.ConnectionString);
        await using var agent = await FaultAgent.ConnectAsync(api.BaseAddress, Token);
        using var http = api.CreateHttpClient();
        var session = await agent.CreateSessionAsync(Token);
        await using var viewer = ResumingViewer.Open(api.BaseAddress, session);
        await viewer.WaitForVersionAsync(0, TimeSpan.FromSeconds(10));
        Assert.True((await agent.AddMarkerAsync(session, "paris", Token)).Succeeded);
        Assert.False((await agent.CallAsync("set_map_view", new() { ["session_id"] = session, ["zoom"] = "close" }, Token)).Succeeded);
        await viewer.WaitForVersionAsync(1, TimeSpan.FromSeconds(10));

        string[] expected =
        [
            "mapserver_tool_duration_seconds_count{otel_scope_name=\"MapServer\",outcome=\"ok\",tool=\"add_marker\"}",
            "mapserver_tool_duration_seconds_count{otel_scope_name=\"MapServer\",outcome=\"invalid_arguments\",tool=\"set_map_view\"}",
            "mapserver_storage_commit_duration_seconds_count",
            "mapserver_sessions_created_total",
            "mapserver_viewers_connected",
            "mapserver_events_delivered_total",
            "mcp_server_operation_duration_seconds_count",
        ];
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string metrics;
        do
        {
            metrics = await http.GetStringAsync("/metrics", Token);
            if (expected.All(m => metrics.Contains(m, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(200, Token);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"missing from /metrics: {string.Join(", ", expected.Where(m => !metrics.Contains(m, StringComparison.Ordinal)))}{Environment.NewLine}{string.Join(Environment.NewLine, metrics.Split('\n').Where(l => l.StartsWith("mapserver", StringComparison.Ordinal) || l.StartsWith("mcp", StringComparison.Ordinal)).Take(60))}");
    }
}
