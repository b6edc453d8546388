using System.Text.Json;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StackExchange.Redis;

namespace MapServer.Tests.Mcp;

/// <summary>
/// An agent (a real MCP client over HTTP) on one map session of the api, which runs on a real Redis
/// (embedded Garnet); the state is read back from Redis as <c>redis-cli GET map_state:&lt;id&gt;</c> shows it.
/// </summary>
public abstract class McpToolTestBase : IAsyncLifetime
{
    protected RedisServer Redis { get; private set; } = null!;

    protected ApiInstance Api { get; private set; } = null!;

    protected McpClient Agent { get; private set; } = null!;

    protected ConnectionMultiplexer RedisClient { get; private set; } = null!;

    protected string Session { get; private set; } = null!;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Redis = await RedisServer.StartAsync(RedisServer.Garnet);
        Api = new ApiInstance(Redis.ConnectionString);
        Agent = await Api.CreateMcpClientAsync(Token);
        RedisClient = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);
        Session = await CreateSessionAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await RedisClient.DisposeAsync();
        await Api.DisposeAsync();
        await Redis.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<string> CreateSessionAsync()
    {
        var created = await Agent.CallToolAsync("create_map_session", cancellationToken: Token);
        return created.StructuredContent!.Value.GetProperty("session_id").GetString()!;
    }

    /// <summary>Calls a tool that must succeed (as <see cref="Agent"/> or another <paramref name="agent"/>) and returns its structured content.</summary>
    protected async Task<JsonElement> CallAsync(string tool, object arguments, McpClient? agent = null)
    {
        var result = await (agent ?? Agent).CallToolAsync(tool, ToArguments(arguments), cancellationToken: Token);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}");
        return result.StructuredContent!.Value;
    }

    /// <summary>Calls a tool that must fail without changing the session, and returns its message.</summary>
    protected async Task<string> RejectedAsync(string tool, object arguments, string? session = null, McpClient? agent = null)
    {
        var before = await RawStateAsync(session);
        var result = await (agent ?? Agent).CallToolAsync(tool, ToArguments(arguments), cancellationToken: Token);
        Assert.True(result.IsError, $"{tool} should have failed");
        Assert.Equal(before, await RawStateAsync(session)); // state and version untouched
        return Text(result);
    }

    protected static Dictionary<string, object?> ToArguments(object arguments) =>
        JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;

    protected static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    /// <summary>What `redis-cli GET map_state:&lt;id&gt;` shows.</summary>
    protected async Task<string> RawStateAsync(string? session = null) =>
        (await RedisClient.GetDatabase().StringGetAsync($"map_state:{session ?? Session}")).ToString();

    protected async Task<JsonElement> StoredStateAsync(string? session = null) => JsonDocument.Parse(await RawStateAsync(session)).RootElement;
}
