using System.Text.Json;
using MapServer.Tests.Infrastructure;
using StackExchange.Redis;

namespace MapServer.Tests.Clients;

/// <summary>
/// The api as deployed (its dll, Production, on Redis) checked by clients nobody here wrote: the official TypeScript SDK
/// client (it validates every structured answer against the tool's output schema), the MCP Inspector CLI's strict schema
/// portability check, Claude Desktop's mcp-remote stdio bridge, and an agent written for the original mcp-map-server.
/// </summary>
[Trait("Tier", "App")]
public sealed class RealClientTests(NodeClients clients) : IClassFixture<NodeClients>, IAsyncLifetime
{
    private const string InspectorCli = "node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js";

    private RedisServer _redis = null!;
    private ApiProcess _api = null!;

    private string Mcp => new Uri(_api.BaseAddress, "/mcp").ToString();

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(RedisServer.Garnet);
        _api = await ApiProcess.StartAsync(_redis.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task The_TypeScript_SDK_client_runs_every_tool_and_every_answer_fits_its_output_schema()
    {
        var run = await clients.NodeAsync("sdk-client.mjs", Mcp);

        Assert.True(run.ExitCode == 0, run.Describe("the TypeScript SDK client") + _api.Output[^Math.Min(_api.Output.Length, 3000)..]);
        var report = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.True(report.GetProperty("tools").GetInt32() >= 30);
        Assert.Empty(report.GetProperty("failures").EnumerateArray());
        Assert.DoesNotContain("threw an unhandled exception", _api.Output, StringComparison.Ordinal); // client mistakes are not server errors
    }

    [Fact]
    public async Task The_Inspector_CLI_in_strict_mode_finds_no_schema_portability_problem_and_calls_a_tool()
    {
        var listed = await clients.NodeAsync(InspectorCli, "--cli", Mcp, "--transport", "http", "--method", "tools/list", "--strict");
        var called = await clients.NodeAsync(InspectorCli, "--cli", Mcp, "--transport", "http", "--method", "tools/call", "--tool-name", "create_map_session");

        Assert.True(listed.ExitCode == 0, listed.Describe("inspector --cli --method tools/list --strict"));
        Assert.DoesNotContain("Schema portability", listed.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Warning: tool", listed.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Error: tool", listed.StandardError, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(listed.StandardOutput).RootElement.GetProperty("tools").GetArrayLength() >= 30);
        Assert.True(called.ExitCode == 0, called.Describe("inspector --cli --method tools/call create_map_session"));
        Assert.Matches("\"session_id\": \"[A-Za-z0-9_-]{22}\"", called.StandardOutput);
    }

    [Fact]
    public async Task Claude_Desktop_through_the_mcp_remote_bridge_lists_the_tools_and_changes_the_map()
    {
        var run = await clients.NodeAsync("stdio-bridge.mjs", Mcp);

        Assert.True(run.ExitCode == 0, run.Describe("mcp-remote driven by a stdio client"));
        var report = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.Equal("MapServer", report.GetProperty("server").GetProperty("name").GetString());
        var session = report.GetProperty("session").GetString()!;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        Assert.True(await redis.GetDatabase().KeyExistsAsync($"map_state:{session}"), "the session the bridge created is in Redis");
    }

    [Fact]
    public async Task An_agent_written_for_the_original_server_keeps_working_and_the_viewer_sees_every_change()
    {
        var run = await clients.NodeAsync("original-agent.mjs", _api.BaseAddress.ToString().TrimEnd('/'));

        Assert.True(run.ExitCode == 0, run.Describe("the original server's agent"));
        var report = JsonDocument.Parse(run.StandardOutput).RootElement;
        Assert.Empty(report.GetProperty("failures").EnumerateArray());
        Assert.True(report.GetProperty("versions").GetArrayLength() >= 9);
    }
}
