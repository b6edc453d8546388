using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace MapServer.Tests.Events;

/// <summary>/events through real SSE clients, on two api replicas sharing one Redis.</summary>
[Trait("Tier", "App")]
public sealed class EventsTests
{
    [Theory]
    [MemberData(nameof(RedisServer.Backends), MemberType = typeof(RedisServer))]
    public async Task Change_on_one_replica_reaches_viewer_on_another(string backend)
    {
        await using var redis = await RedisServer.StartAsync(backend);
        await using var replicaA = new ApiInstance(redis.ConnectionString);
        await using var replicaB = new ApiInstance(redis.ConnectionString);
        await using var agent = await replicaA.CreateMcpClientAsync(TestContext.Current.CancellationToken);
        var sessionId = await CreateSessionAsync(agent);

        using var viewerClient = replicaB.CreateHttpClient();
        await using var viewer = await SseViewer.OpenAsync(viewerClient, $"/events?session={sessionId}");
        var snapshot = await viewer.NextAsync();
        Assert.Equal("snapshot", snapshot.EventType);
        Assert.Equal("0", snapshot.EventId);

        await CallAsync(agent, "set_map_view", new() { ["session_id"] = sessionId, ["center"] = new[] { 13.4, 52.52 }, ["zoom"] = 10 });

        var change = await viewer.NextAsync();
        Assert.Equal("change", change.EventType);
        Assert.Equal("1", change.EventId);
        var patch = JsonNode.Parse(change.Data)!["patch"]!;
        Assert.Equal(10, patch["zoom"]!.GetValue<double>());
    }

    [Fact]
    public async Task Viewer_that_reconnects_with_last_event_id_ends_with_the_state_of_a_fresh_snapshot()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        await using var replicaA = new ApiInstance(redis.ConnectionString);
        await using var replicaB = new ApiInstance(redis.ConnectionString);
        await using var agent = await replicaA.CreateMcpClientAsync(TestContext.Current.CancellationToken);
        var sessionId = await CreateSessionAsync(agent);
        using var http = replicaB.CreateHttpClient();

        JsonObject state;
        string lastEventId;
        await using (var viewer = await SseViewer.OpenAsync(http, $"/events?session={sessionId}"))
        {
            var snapshot = await viewer.NextAsync();
            state = JsonNode.Parse(snapshot.Data)!.AsObject();
            await CallAsync(agent, "set_map_view", new() { ["session_id"] = sessionId, ["zoom"] = 4 });
            var first = await viewer.NextAsync();
            JsonMergePatch.Apply(state, JsonNode.Parse(first.Data)!["patch"]!.AsObject());
            lastEventId = first.EventId!;
        }

        // Changes while the viewer is away: on the other replica.
        await CallAsync(agent, "set_map_view", new() { ["session_id"] = sessionId, ["center"] = new[] { -3.7, 40.4 } });
        await CallAsync(agent, "set_map_view", new() { ["session_id"] = sessionId, ["pitch"] = 45 });
        await CallAsync(agent, "set_map_view", new() { ["session_id"] = sessionId, ["bearing"] = 30 });

        await using (var viewer = await SseViewer.OpenAsync(http, $"/events?session={sessionId}", lastEventId))
        {
            for (var expected = 2; expected <= 4; expected++)
            {
                var missed = await viewer.NextAsync();
                Assert.Equal("change", missed.EventType);
                Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), missed.EventId);
                JsonMergePatch.Apply(state, JsonNode.Parse(missed.Data)!["patch"]!.AsObject());
            }
        }

        await using var fresh = await SseViewer.OpenAsync(http, $"/events?session={sessionId}");
        var freshState = JsonNode.Parse((await fresh.NextAsync()).Data)!;
        Assert.True(JsonNode.DeepEquals(freshState, state), $"replayed {state.ToJsonString()} != snapshot {freshState.ToJsonString()}");
    }

    [Fact]
    public async Task Viewer_too_far_behind_gets_a_fresh_snapshot()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        await using var api = new ApiInstance(redis.ConnectionString, new Dictionary<string, string?> { ["MapServer:ReplayBufferLength"] = "3" });
        await using var agent = await api.CreateMcpClientAsync(TestContext.Current.CancellationToken);
        var sessionId = await CreateSessionAsync(agent);
        for (var zoom = 1; zoom <= 6; zoom++)
        {
            await CallAsync(agent, "set_map_view", new() { ["session_id"] = sessionId, ["zoom"] = zoom });
        }

        using var http = api.CreateHttpClient();
        await using var viewer = await SseViewer.OpenAsync(http, $"/events?session={sessionId}", lastEventId: "1");
        var item = await viewer.NextAsync();
        Assert.Equal("snapshot", item.EventType);
        Assert.Equal("6", item.EventId);
    }

    [Theory]
    [InlineData("not-a-session-id")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Unknown_or_malformed_session_is_a_404_with_a_json_error(string sessionId)
    {
        await using var api = new ApiInstance(redisConnectionString: null);
        using var http = api.CreateHttpClient();
        using var response = await http.GetAsync($"/events?session={sessionId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Contains("does not exist", error.GetProperty("error").GetString());
        Assert.Contains("create_map_session", error.GetProperty("hint").GetString());
    }

    [Fact]
    public async Task Events_without_a_session_use_the_cookie_or_start_a_new_session()
    {
        await using var api = new ApiInstance(redisConnectionString: null);
        using var http = api.CreateHttpClient();
        await using var viewer = await SseViewer.OpenAsync(http, "/events");
        var snapshot = await viewer.NextAsync();
        Assert.Equal("snapshot", snapshot.EventType);
        Assert.Contains(viewer.Response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mcp_map_session=", StringComparison.Ordinal));
        Assert.Equal(0, JsonDocument.Parse(snapshot.Data).RootElement.GetProperty("version").GetInt64());
    }

    private static async Task<string> CreateSessionAsync(McpClient agent)
    {
        var created = await agent.CallToolAsync("create_map_session", cancellationToken: TestContext.Current.CancellationToken);
        return created.StructuredContent!.Value.GetProperty("session_id").GetString()!;
    }

    private static async Task CallAsync(McpClient agent, string tool, Dictionary<string, object?> arguments)
    {
        var result = await agent.CallToolAsync(tool, arguments, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(result.IsError is not true, $"{tool} failed: {JsonSerializer.Serialize(result.Content)}");
    }
}

/// <summary>A real SSE client: one streaming GET parsed with System.Net.ServerSentEvents.</summary>
public sealed class SseViewer : IAsyncDisposable
{
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseViewer(HttpResponseMessage response, Stream stream)
    {
        Response = response;
        _items = SseParser.Create(stream).EnumerateAsync().GetAsyncEnumerator();
    }

    public HttpResponseMessage Response { get; }

    public static async Task<SseViewer> OpenAsync(HttpClient http, string path, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new SseViewer(response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The next snapshot or change (heartbeats skipped), within 10 s.</summary>
    public async Task<SseItem<string>> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var moved = await _items.MoveNextAsync().AsTask().WaitAsync(timeout.Token);
            Assert.True(moved, "the stream ended");
            if (_items.Current.EventType != "heartbeat")
            {
                return _items.Current;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Response.Dispose();
        await _items.DisposeAsync();
    }
}
