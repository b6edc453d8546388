using System.Text.Json;
using System.Text.RegularExpressions;
using MapServer.Tests.Events;
using MapServer.Tests.Infrastructure;
using MapServer.Tests.Mcp;

namespace MapServer.Tests.Security;

/// <summary>The viewer link create_map_session hands out is read-only: it shows the live map, never the id agents write with.</summary>
[Trait("Tier", "App")]
public sealed partial class ViewLinkTests : McpToolTestBase
{
    [Fact]
    public async Task The_viewer_link_shows_the_live_map_and_its_data_without_ever_revealing_the_session_id()
    {
        var created = await CallAsync("create_map_session", new { });
        var id = created.GetProperty("session_id").GetString()!;
        var token = created.GetProperty("viewer_url").GetString()!.Split('/')[^1];
        await CallAsync("add_layer", new { session_id = id, layer_id = "pts", source = new { type = "geojson", data = new { type = "FeatureCollection", features = new[] { new { type = "Feature", properties = new { }, geometry = new { type = "Point", coordinates = new[] { 2.35, 48.85 } } } } } } });
        using var http = Api.CreateHttpClient();

        var info = JsonDocument.Parse(await http.GetStringAsync($"/sessions/{token}", Token)).RootElement;
        await using var viewer = await SseViewer.OpenAsync(http, $"/events?session={token}");
        var snapshot = (await viewer.NextAsync()).Data;
        await using var secondViewer = await SseViewer.OpenAsync(http, $"/events?session={token}");
        await secondViewer.NextAsync();
        await CallAsync("add_marker", new { session_id = id, marker_id = "m1", longitude = 2.35, latitude = 48.85 });
        var change = (await viewer.NextAsync()).Data;
        await secondViewer.NextAsync();
        await CallAsync("add_layer", new { session_id = id, layer_id = "more", source = new { type = "geojson", data = new { type = "FeatureCollection", features = Array.Empty<object>() } } });
        var layerChange = (await viewer.NextAsync()).Data;
        var sameChangeElsewhere = (await secondViewer.NextAsync()).Data;
        var dataPath = DataPath().Match(snapshot).Value;
        using var data = await http.GetAsync(dataPath, Token);

        Assert.NotEqual(id, token);
        Assert.Equal(23, token.Length);
        Assert.Equal(token, info.GetProperty("sessionId").GetString());
        Assert.DoesNotContain(id, snapshot, StringComparison.Ordinal);
        Assert.DoesNotContain(id, change, StringComparison.Ordinal);
        Assert.Contains("m1", change, StringComparison.Ordinal);
        Assert.Contains($"/sessions/{token}/data/", layerChange, StringComparison.Ordinal);
        Assert.DoesNotContain(id, layerChange, StringComparison.Ordinal);
        Assert.Equal(layerChange, sameChangeElsewhere);
        Assert.StartsWith($"/sessions/{token}/data/", dataPath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
    }

    [Fact]
    public async Task A_view_token_cannot_drive_the_map_and_the_error_says_why()
    {
        var created = await CallAsync("create_map_session", new { });
        var id = created.GetProperty("session_id").GetString()!;
        var token = created.GetProperty("viewer_url").GetString()!.Split('/')[^1];

        var message = await RejectedAsync("add_marker", new { session_id = token, marker_id = "m1", longitude = 0, latitude = 0 }, session: id);

        Assert.Contains("read-only", message, StringComparison.Ordinal);
        Assert.DoesNotContain(id, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_replica_opens_a_view_link_another_replica_handed_out()
    {
        var created = await CallAsync("create_map_session", new { });
        var token = created.GetProperty("viewer_url").GetString()!.Split('/')[^1];
        await using var other = new ApiInstance(Redis.ConnectionString);
        using var http = other.CreateHttpClient();

        using var answer = await http.GetAsync($"/sessions/{token}", Token);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    [Theory]
    [InlineData("vAAAAAAAAAAAAAAAAAAAAAB")] // low bits of the last character set: not a canonical encoding
    [InlineData("v______________________")]
    [InlineData("vAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task A_view_token_nobody_handed_out_is_an_unknown_session_everywhere(string token)
    {
        using var http = Api.CreateHttpClient();

        using var info = await http.GetAsync($"/sessions/{token}", Token);
        using var events = await http.GetAsync($"/events?session={token}", HttpCompletionOption.ResponseHeadersRead, Token);
        using var data = await http.GetAsync($"/sessions/{token}/data/{new string('0', 64)}", Token);

        Assert.Equal(HttpStatusCode.NotFound, info.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, data.StatusCode);
    }

    [GeneratedRegex(@"/sessions/[A-Za-z0-9_-]+/data/[0-9a-f]{64}")]
    private static partial Regex DataPath();
}
