using System.Globalization;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Viewer;

/// <summary>
/// How long from a tool call's response to the change drawn on the viewer's screen, measured in the page (the frame
/// after the change was applied) against the agent's clock on the same machine. Reported, not asserted (BENCHMARKS.md).
/// </summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class ChangeLatencyBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const int Changes = 40;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_change_reaches_the_screen_and_the_time_from_tool_response_to_frame_is_reported()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, app.App.GetEndpoint("map-viewer", "http"), sessionId);
        await agent.CallAsync("add_layer", new()
        {
            ["session_id"] = sessionId,
            ["layer_id"] = "zone",
            ["source"] = new { type = "geojson", data = new { type = "Polygon", coordinates = new[] { new[] { new[] { 2.2, 48.8 }, new[] { 2.4, 48.8 }, new[] { 2.4, 48.9 }, new[] { 2.2, 48.8 } } } } },
        }, Cancel);

        var returned = new Dictionary<long, double>();
        for (var i = 0; i < Changes; i++)
        {
            var change = await agent.CallAsync("set_layer_paint", new() { ["session_id"] = sessionId, ["layer_id"] = "zone", ["property"] = "fill-color", ["value"] = i % 2 == 0 ? "#2563eb" : "#dc2626" }, Cancel);
            returned[change.GetProperty("version").GetInt64()] = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
            await Task.Delay(50, Cancel); // one change at a time: the figure is the latency, not a queue
        }

        var last = returned.Keys.Max();
        await viewer.WaitAsync(ViewerHandle.VersionDrawn, last);
        var drawn = await viewer.EvaluateAsync<Dictionary<string, double>>(ViewerHandle.DrawnTimes);
        var latencies = returned.Select(r => drawn.TryGetValue(r.Key.ToString(CultureInfo.InvariantCulture), out var at) ? at - r.Value : double.NaN).ToList();
        Assert.DoesNotContain(latencies, double.IsNaN); // every change reached the screen

        var sorted = latencies.Order().ToList();
        var figure = $"tool response -> drawn on screen, {Changes} set_layer_paint changes: p50 {Percentile(sorted, 0.50):0.0} ms, p95 {Percentile(sorted, 0.95):0.0} ms, max {sorted[^1]:0.0} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(figure);
        TestContext.Current.SendDiagnosticMessage(figure);
    }

    [Fact]
    public async Task A_large_geojson_layer_reaches_every_viewer_and_the_time_to_its_first_frame_is_reported()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await agent.SetViewAsync(sessionId, [10, 50], 4, 0, Cancel);
        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, app.App.GetEndpoint("map-viewer", "http"), sessionId);

        // 17,000 points with a few properties: about 2.6 MB of GeoJSON, stored beside the state and fetched by the viewer.
        var random = new Random(12);
        var features = Enumerable.Range(0, 17_000).Select(i => new
        {
            type = "Feature",
            geometry = new { type = "Point", coordinates = new[] { Math.Round(-5 + random.NextDouble() * 30, 5), Math.Round(38 + random.NextDouble() * 20, 5) } },
            properties = new { id = i, name = $"Station {i:00000}", kind = i % 3 == 0 ? "rail" : "bus", level = random.Next(0, 100) },
        }).ToArray();
        var collection = new { type = "FeatureCollection", features };
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(collection).Length;
        await agent.AddGeoJsonLayerAsync(sessionId, "stations", "Stations", "#0ea5e9", collection,
            [new { id = "stations-dots", type = "circle", source = "stations", paint = new Dictionary<string, object> { ["circle-radius"] = 2, ["circle-color"] = "#0ea5e9" } }], Cancel);
        var returned = DateTime.UtcNow;
        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['stations-dots'] }).length > 1000", deadline: TimeSpan.FromSeconds(30));
        var shown = (DateTime.UtcNow - returned).TotalMilliseconds;

        var figure = $"tool response -> a {bytes / 1e6:0.0} MB GeoJSON layer ({features.Length:N0} points) drawn: {shown:0} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(figure);
        TestContext.Current.SendDiagnosticMessage(figure);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
}
