using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// The api under fuzz, shared by the fuzz tests: one replica on a real Kestrel port over a real store (embedded
/// Garnet), its tools as tools/list describes them, three playground sessions and the sentinel session.
/// </summary>
/// <remarks>
/// The sentinel is created and given a marker before any case runs; tool cases name it only in certainly invalid
/// calls (see <see cref="ToolCallGen"/>) and raw HTTP cases only read it, so each test ends by comparing its version
/// (GET /sessions/{id}) and whole state (get_map_state) with what they were at the start.
/// </remarks>
public sealed partial class FuzzApi : IAsyncLifetime
{
    private const string PointsSource =
        """{"type":"geojson","data":{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[2.35,48.85]},"properties":{"name":"Paris"}}]}}""";

    private RedisServer _redis = null!;
    private ApiInstance _api = null!;

    public FuzzClient Client { get; private set; } = null!;

    public IReadOnlyList<FuzzTool> Tools { get; private set; } = [];

    public FuzzTargets Targets { get; private set; } = null!;

    /// <summary>The sentinel's version and state before any fuzz case ran.</summary>
    public string SentinelBefore { get; private set; } = "";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync(RedisServer.Garnet);
        // Thousands of rejected calls log thousands of stack traces: quiet unless FUZZ_API_LOGS=1 (to see why a 500 happened).
        _api = new ApiInstance(_redis.ConnectionString, Environment.GetEnvironmentVariable("FUZZ_API_LOGS") == "1"
            ? null
            : new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None" });
        Client = new FuzzClient(_api.BaseAddress);

        var listed = await RequestAsync("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        Tools = [.. listed.GetProperty("tools").EnumerateArray().Select(FuzzTool.From)];

        var sessions = new List<string>();
        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (id, token) = await CreateSessionAsync();
            await CallAsync("add_layer", $$"""{"session_id":"{{id}}","layer_id":"a","source":""" + PointsSource + "}");
            await CallAsync("add_marker", $$"""{"session_id":"{{id}}","marker_id":"m1","longitude":2.29,"latitude":48.86,"label":"m1"}""");
            sessions.Add(id);
            tokens.Add(token);
        }

        var state = await CallAsync("get_map_state", $$"""{"session_id":"{{sessions[0]}}"}""");
        var dataPaths = DataPath().Matches(state.GetRawText()).Select(m => m.Value).Distinct().ToList();
        if (dataPaths.Count == 0)
        {
            throw new InvalidOperationException($"No layer data URL in {state}");
        }

        var exported = await CallAsync("export_map", $$"""{"session_id":"{{sessions[0]}}"}""");

        var (sentinel, _) = await CreateSessionAsync();
        await CallAsync("add_marker", $$"""{"session_id":"{{sentinel}}","marker_id":"sentinel","longitude":13.4,"latitude":52.5,"label":"must not change"}""");
        Targets = new FuzzTargets(sessions, tokens, sentinel, dataPaths,
            exported.GetProperty("style").GetRawText(), exported.GetProperty("annotations").GetRawText());
        SentinelBefore = await SentinelStateAsync();
    }

    /// <summary>The sentinel's version (GET /sessions/{id}) and whole state (get_map_state), as text to compare.</summary>
    public async Task<string> SentinelStateAsync()
    {
        var info = await Client.SendAsync(new FuzzRequest("sentinel", "GET", $"/sessions/{Targets.Sentinel}", null, []), Token);
        var state = await CallAsync("get_map_state", $$"""{"session_id":"{{Targets.Sentinel}}"}""");
        return $"{info.Body} {state.GetRawText()}";
    }

    private async Task<(string Id, string ViewToken)> CreateSessionAsync()
    {
        var created = await CallAsync("create_map_session", "{}");
        return (created.GetProperty("session_id").GetString()!, created.GetProperty("viewer_url").GetString()!.Split('/')[^1]);
    }

    /// <summary>Calls a tool that must succeed; its structured content.</summary>
    private async Task<JsonElement> CallAsync(string tool, string arguments)
    {
        var result = await RequestAsync($$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{tool}}","arguments":""" + arguments + "}}");
        if (result.TryGetProperty("isError", out var isError) && isError.GetBoolean())
        {
            throw new InvalidOperationException($"{tool} failed while setting up the fuzz targets: {result}");
        }

        return result.GetProperty("structuredContent");
    }

    private async Task<JsonElement> RequestAsync(string json)
    {
        var response = await Client.SendAsync(FuzzRequest.McpPost("setup", Encoding.UTF8.GetBytes(json)), Token);
        return response.JsonRpc()?.GetProperty("result") ?? throw new InvalidOperationException($"{json} got {response.Excerpt()}");
    }

    [GeneratedRegex("/sessions/[A-Za-z0-9_-]{22}/data/[0-9a-f]{64}")]
    private static partial Regex DataPath();

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
