using System.Text.Json;
using MapServer.Api.Security;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StackExchange.Redis;

namespace MapServer.Tests.Security;

/// <summary>With authentication on, a session belongs to the principal that created it (api on a real Redis).</summary>
[Trait("Tier", "App")]
public sealed class SessionOwnershipTests : IAsyncLifetime
{
    private static readonly (string Key, string Hash) Alice = ApiKeys.Mint();
    private static readonly (string Key, string Hash) Bob = ApiKeys.Mint();

    // Arguments that would be valid on the owner's session (it has layer "pts" and marker "m1").
    private static readonly object Points = new { type = "FeatureCollection", features = Array.Empty<object>() };

    // Arguments that would be valid on the owner's session (it has layer "pts" and marker "m1").
    private static readonly Dictionary<string, object> ValidArguments = new()
    {
        ["layer_id"] = "pts",
        ["source"] = new { type = "geojson", data = Points },
        ["annotation_id"] = "m1",
        ["marker_id"] = "m1",
        ["circle_id"] = "c1",
        ["line_id"] = "l1",
        ["polygon_id"] = "p1",
        ["longitude"] = 2.35,
        ["latitude"] = 48.85,
        ["radius_meters"] = 500,
        ["coordinates"] = new[] { new[] { 2.3, 48.8 }, new[] { 2.4, 48.9 }, new[] { 2.5, 48.8 } },
        ["bbox"] = new[] { 2.2, 48.8, 2.5, 48.9 },
        ["bounds"] = new[] { 2.2, 48.8, 2.5, 48.9 },
        ["zoom"] = 12,
        ["center"] = new[] { 2.35, 48.85 },
        ["basemap"] = "streets",
        ["filter"] = new object[] { "==", "kind", "cafe" },
        ["property"] = "circle-color",
        ["value"] = "#ff0000",
        ["opacity"] = 0.5,
        ["position"] = "top",
    };

    private RedisServer _redis = null!;
    private ApiInstance _api = null!;
    private ConnectionMultiplexer _redisClient = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(RedisServer.Garnet);
        _redisClient = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _api = new ApiInstance(_redis.ConnectionString, new Dictionary<string, string?>
        {
            ["MapServer:Auth:Mode"] = "ApiKey",
            ["MapServer:Auth:ApiKeys:alice"] = Alice.Hash,
            ["MapServer:Auth:ApiKeys:bob"] = Bob.Hash,
            ["MapServer:Limits:MaxLiveSessionsPerPrincipal"] = "3",
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _redisClient.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Every_tool_answers_another_principals_session_exactly_like_an_unknown_one_and_changes_nothing()
    {
        await using var alice = await _api.CreateMcpClientAsync(Alice.Key, Token);
        await using var bob = await _api.CreateMcpClientAsync(Bob.Key, Token);
        var victim = await CreateSessionAsync(alice);
        await CallAsync(alice, "add_layer", new() { ["session_id"] = victim, ["layer_id"] = "pts", ["source"] = ValidArguments["source"] });
        await CallAsync(alice, "add_marker", new() { ["session_id"] = victim, ["marker_id"] = "m1", ["longitude"] = 2.35, ["latitude"] = 48.85 });
        var before = await RawStateAsync(victim);
        var unknown = "AAAAAAAAAAAAAAAAAAAAAA";

        var tools = (await bob.ListToolsAsync(cancellationToken: Token)).Where(t => Required(t.ProtocolTool).Contains("session_id")).ToList();
        Assert.True(tools.Count >= 20, $"only {tools.Count} tools take a session_id");
        foreach (var tool in tools)
        {
            var onVictim = await bob.CallToolAsync(tool.Name, ArgumentsFor(tool.ProtocolTool, victim), cancellationToken: Token);
            var onUnknown = await bob.CallToolAsync(tool.Name, ArgumentsFor(tool.ProtocolTool, unknown), cancellationToken: Token);

            Assert.True(onVictim.IsError, $"{tool.Name} let bob use alice's session: {Text(onVictim)}");
            Assert.Equal(Text(onUnknown).Replace(unknown, victim, StringComparison.Ordinal), Text(onVictim));
            Assert.Contains("does not exist", Text(onVictim), StringComparison.Ordinal);
        }

        var resource = await Assert.ThrowsAnyAsync<Exception>(async () => await bob.ReadResourceAsync($"map://sessions/{victim}", cancellationToken: Token));
        Assert.Contains("does not exist", resource.Message, StringComparison.Ordinal);
        Assert.Equal(before, await RawStateAsync(victim));
        Assert.True((await alice.CallToolAsync("get_map_state", new Dictionary<string, object?> { ["session_id"] = victim }, cancellationToken: Token)).IsError is not true);
    }

    [Fact]
    public async Task A_principal_may_keep_only_so_many_live_sessions_and_others_are_not_affected()
    {
        await using var alice = await _api.CreateMcpClientAsync(Alice.Key, Token);
        await using var bob = await _api.CreateMcpClientAsync(Bob.Key, Token);
        for (var i = 0; i < 3; i++)
        {
            await CreateSessionAsync(alice);
        }

        var fourth = await alice.CallToolAsync("create_map_session", cancellationToken: Token);

        Assert.True(fourth.IsError);
        Assert.Contains("MaxLiveSessionsPerPrincipal", Text(fourth), StringComparison.Ordinal);
        await CreateSessionAsync(bob);
    }

    private static HashSet<string> Required(Tool tool) =>
        tool.InputSchema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!)] : [];

    private static Dictionary<string, object?> ArgumentsFor(Tool tool, string session)
    {
        var arguments = new Dictionary<string, object?> { ["session_id"] = session };
        foreach (var name in Required(tool).Where(name => name != "session_id"))
        {
            arguments[name] = ValidArguments.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"{tool.Name} needs '{name}': add a valid value to the table.");
        }

        return arguments;
    }

    private static async Task<string> CreateSessionAsync(McpClient agent)
    {
        var created = await agent.CallToolAsync("create_map_session", cancellationToken: Token);
        Assert.True(created.IsError is not true, Text(created));
        return created.StructuredContent!.Value.GetProperty("session_id").GetString()!;
    }

    private static async Task CallAsync(McpClient agent, string tool, Dictionary<string, object?> arguments)
    {
        var result = await agent.CallToolAsync(tool, arguments, cancellationToken: Token);
        Assert.True(result.IsError is not true, $"{tool}: {Text(result)}");
    }

    private async Task<string> RawStateAsync(string session) => (await _redisClient.GetDatabase().StringGetAsync($"map_state:{session}")).ToString();

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
