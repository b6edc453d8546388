using System.Diagnostics;
using System.Net.Http.Headers;
using MapServer.Api.Security;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Security;

/// <summary>The configured limits over real HTTP, shared by replicas through a real Redis.</summary>
[Trait("Tier", "App")]
public sealed class RateLimitTests
{
    private static readonly (string Key, string Hash) Alice = ApiKeys.Mint();
    private static readonly (string Key, string Hash) Bob = ApiKeys.Mint();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_caller_spread_over_two_replicas_gets_at_most_its_burst_then_429_with_Retry_After_and_another_caller_is_unaffected()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        var settings = KeyedSettings(("MapServer:Limits:McpRequestsPerSecond", "1"), ("MapServer:Limits:McpBurst", "10"));
        await using var replicaA = new ApiInstance(redis.ConnectionString, settings);
        await using var replicaB = new ApiInstance(redis.ConnectionString, settings);
        using var httpA = replicaA.CreateHttpClient();
        using var httpB = replicaB.CreateHttpClient();

        var clock = Stopwatch.StartNew();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 30; i++)
        {
            answers.Add(await (i % 2 == 0 ? httpA : httpB).SendAsync(Ping(Alice.Key), Token));
        }

        var accepted = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(30, accepted + refused.Count);
        Assert.InRange(accepted, 10, 10 + (int)Math.Ceiling(clock.Elapsed.TotalSeconds));
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.Contains("Retry-After", await refused[0].Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        using var bob = await httpB.SendAsync(Ping(Bob.Key), Token);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        answers.ForEach(a => a.Dispose());
    }

    [Fact]
    public async Task With_Redis_stopped_the_limit_still_holds_on_each_replica_and_nothing_answers_5xx()
    {
        await using var redis = await RedisServer.StartAsync(RedisServer.Garnet);
        await using var proxy = new TcpProxy(new Uri($"tcp://{redis.ConnectionString}"));
        await using var api = new ApiInstance($"{proxy.Address.Host}:{proxy.Address.Port}", KeyedSettings(("MapServer:Limits:McpRequestsPerSecond", "1"), ("MapServer:Limits:McpBurst", "5")));
        using var http = api.CreateHttpClient();
        using var warm = await http.SendAsync(Ping(Alice.Key), Token);
        Assert.Equal(HttpStatusCode.OK, warm.StatusCode);

        proxy.Sever();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            using var answer = await http.SendAsync(Ping(Alice.Key), Token);
            statuses.Add(answer.StatusCode);
        }

        Assert.DoesNotContain(statuses, s => (int)s >= 500);
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 1, 5 + 2);
    }

    [Fact]
    public async Task A_spoofed_X_Forwarded_For_from_an_untrusted_peer_does_not_buy_a_fresh_allowance()
    {
        await using var api = new ApiInstance(null, new Dictionary<string, string?>
        {
            ["MapServer:Limits:McpRequestsPerSecond"] = "1",
            ["MapServer:Limits:McpBurst"] = "5",
        });
        using var http = api.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var request = Ping(bearer: null);
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var answer = await http.SendAsync(request, Token);
            statuses.Add(answer.StatusCode);
        }

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 5, 7);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task Changes_to_one_session_beyond_its_rate_are_refused_with_a_clear_error_and_change_nothing()
    {
        await using var api = new ApiInstance(null, new Dictionary<string, string?>
        {
            ["MapServer:Limits:ChangesPerSecondPerSession"] = "1",
            ["MapServer:Limits:ChangeBurst"] = "3",
        });
        await using var agent = await api.CreateMcpClientAsync(Token);
        var session = (await agent.CallToolAsync("create_map_session", cancellationToken: Token)).StructuredContent!.Value.GetProperty("session_id").GetString()!;

        var results = new List<CallToolResult>();
        for (var i = 0; i < 8; i++)
        {
            results.Add(await agent.CallToolAsync("add_marker", new Dictionary<string, object?> { ["session_id"] = session, ["marker_id"] = $"m{i}", ["longitude"] = i, ["latitude"] = 0 }, cancellationToken: Token));
        }

        var accepted = results.Count(r => r.IsError is not true);
        var refused = results.Where(r => r.IsError is true).Select(r => ((TextContentBlock)r.Content[0]).Text).ToList();
        Assert.InRange(accepted, 3, 5);
        Assert.NotEmpty(refused);
        Assert.All(refused, text => Assert.Contains("Too many changes", text, StringComparison.Ordinal));
        Assert.Equal(accepted, (await api.Store.GetAsync(session, Token))!.Version);
    }

    [Fact]
    public async Task New_sessions_beyond_the_hourly_allowance_get_429_with_Retry_After()
    {
        await using var api = new ApiInstance(null, KeyedSettings(("MapServer:Limits:SessionsPerHour", "2")));
        using var http = api.CreateHttpClient();

        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            using var create = new HttpRequestMessage(HttpMethod.Post, "/sessions") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", Alice.Key) } };
            statuses.Add(await http.SendAsync(create, Token));
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests], statuses.Select(s => s.StatusCode));
        Assert.True(statuses[2].Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(1));
        Assert.Contains("Too many new map sessions", await statuses[2].Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        await using var agent = await api.CreateMcpClientAsync(Alice.Key, Token);
        var viaTool = await agent.CallToolAsync("create_map_session", cancellationToken: Token);
        Assert.True(viaTool.IsError);
        statuses.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task A_client_address_may_hold_only_so_many_event_streams_open()
    {
        await using var api = new ApiInstance(null, new Dictionary<string, string?> { ["MapServer:Limits:EventStreamsPerIp"] = "2" });
        using var http = api.CreateHttpClient();
        var session = await api.Store.CreateAsync(owner: null, Token);

        using var first = await http.GetAsync($"/events?session={session}", HttpCompletionOption.ResponseHeadersRead, Token);
        using var second = await http.GetAsync($"/events?session={session}", HttpCompletionOption.ResponseHeadersRead, Token);
        using var third = await http.GetAsync($"/events?session={session}", HttpCompletionOption.ResponseHeadersRead, Token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    private static Dictionary<string, string?> KeyedSettings(params (string Key, string Value)[] limits)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MapServer:Auth:Mode"] = "ApiKey",
            ["MapServer:Auth:ApiKeys:alice"] = Alice.Hash,
            ["MapServer:Auth:ApiKeys:bob"] = Bob.Hash,
        };
        foreach (var (key, value) in limits)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static HttpRequestMessage Ping(string? bearer) => McpHttpRequest.Create(McpHttpRequest.Ping, bearer);
}
