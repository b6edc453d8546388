using System.Net.Http.Json;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Viewer;

/// <summary>POST /sessions/{id}/viewport and get_viewport on one api replica with the in-memory store.</summary>
[Trait("Tier", "App")]
public sealed class ViewportApiTests : IAsyncLifetime
{
    private readonly ApiInstance _api = new(redisConnectionString: null);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static object Report(double zoom = 10) => new { bounds = new[] { 2.2, 48.8, 2.5, 48.9 }, zoom, center = new[] { 2.35, 48.85 }, clickedFeature = new { layerId = "parks", properties = new { name = "Tuileries" } } };

    [Fact]
    public async Task Reported_viewport_is_what_get_viewport_answers()
    {
        var sessionId = await _api.Store.CreateAsync(owner: null, Cancel);
        using var http = _api.CreateHttpClient();
        using var response = await http.PostAsJsonAsync($"/sessions/{sessionId}/viewport", Report(12.5), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        await using var mcp = await _api.CreateMcpClientAsync(Cancel);
        var result = await mcp.CallToolAsync("get_viewport", new Dictionary<string, object?> { ["session_id"] = sessionId }, cancellationToken: Cancel);

        Assert.NotEqual(true, result.IsError);
        var viewport = result.StructuredContent!.Value;
        Assert.True(viewport.GetProperty("reported").GetBoolean());
        Assert.Equal(12.5, viewport.GetProperty("zoom").GetDouble());
        Assert.Equal("Tuileries", viewport.GetProperty("clicked_feature").GetProperty("properties").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Get_viewport_before_any_report_says_no_viewer_has_reported()
    {
        var sessionId = await _api.Store.CreateAsync(owner: null, Cancel);
        await using var mcp = await _api.CreateMcpClientAsync(Cancel);

        var result = await mcp.CallToolAsync("get_viewport", new Dictionary<string, object?> { ["session_id"] = sessionId }, cancellationToken: Cancel);

        Assert.False(result.StructuredContent!.Value.GetProperty("reported").GetBoolean());
        Assert.Contains("No viewer has reported", result.StructuredContent!.Value.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Reports_for_unknown_sessions_or_with_bad_bounds_are_refused()
    {
        var sessionId = await _api.Store.CreateAsync(owner: null, Cancel);
        using var http = _api.CreateHttpClient();

        using var unknown = await http.PostAsJsonAsync("/sessions/AAAAAAAAAAAAAAAAAAAAAA/viewport", Report(), Cancel);
        using var bad = await http.PostAsJsonAsync($"/sessions/{sessionId}/viewport", new { bounds = new[] { 1.0, 2.0 }, zoom = 3, center = new[] { 0.0, 0.0 } }, Cancel);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_flood_of_reports_for_one_session_is_rate_limited_without_starving_others()
    {
        var flooded = await _api.Store.CreateAsync(owner: null, Cancel);
        var other = await _api.Store.CreateAsync(owner: null, Cancel);
        using var http = _api.CreateHttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await http.PostAsJsonAsync($"/sessions/{flooded}/viewport", Report(), Cancel);
            statuses.Add(response.StatusCode);
        }

        using var otherResponse = await http.PostAsJsonAsync($"/sessions/{other}/viewport", Report(), Cancel);
        Assert.Equal(HttpStatusCode.NoContent, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.NoContent, otherResponse.StatusCode);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
