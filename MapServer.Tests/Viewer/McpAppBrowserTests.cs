using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Mcp;
using MapServer.Tests.Infrastructure;
using Microsoft.Playwright;
using ModelContextProtocol.Protocol;

namespace MapServer.Tests.Viewer;

/// <summary>
/// The map inside a chat: show_map's UI resource in a host that supports MCP Apps (<see cref="ChatHost"/>) joins the
/// same live session as the browser viewer, and speaks the host protocol (initialize, tool result, model context,
/// app-only tool calls, open link).
/// </summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class McpAppBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>The share of sampled pixels of the app's map that are the test layer's red, read right after a frame is drawn.</summary>
    private const string RedShare = """
        () => new Promise(resolve => {
            const m = window.mapServerViewer.map;
            m.once('render', () => {
                const canvas = m.getCanvas();
                const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
                let red = 0, total = 0;
                for (let y = 0.05; y < 1; y += 0.1) {
                    for (let x = 0.05; x < 1; x += 0.1) {
                        const pixel = new Uint8Array(4);
                        gl.readPixels(Math.round(x * canvas.width), Math.round(y * canvas.height), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
                        total++;
                        if (pixel[0] > 200 && pixel[1] < 60 && pixel[2] < 60) red++;
                    }
                }
                resolve(red / total);
            });
            m.triggerRepaint();
        })
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    [Fact]
    public async Task Map_in_a_chat_shows_the_session_live_with_a_layer_added_through_another_replica_as_the_browser_viewer_does()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await agent.SetViewAsync(sessionId, [2.35, 48.86], 5, 0, Cancel);

        // What a host does: call the tool, read the resource its _meta.ui names, show it with the tool's input and result.
        var tools = await agent.ToolsAsync(Cancel);
        var resourceUri = tools.Single(t => t.Name == "show_map").ProtocolTool.Meta!["ui"]!["resourceUri"]!.GetValue<string>();
        string[] appTools = [.. tools.Where(t => t.ProtocolTool.Meta?["ui"]?["visibility"] is not { } visibility
            || visibility.AsArray().Any(v => v!.GetValue<string>() == "app")).Select(t => t.Name)];
        var toolInput = new Dictionary<string, object?> { ["session_id"] = sessionId };
        var shown = await agent.ResultAsync("show_map", toolInput, Cancel);
        var viewerUrl = shown.StructuredContent!.Value.GetProperty("viewer_url").GetString()!;
        var resource = Assert.IsType<TextResourceContents>(Assert.Single((await agent.ReadResourceAsync(resourceUri, Cancel)).Contents));
        Assert.Equal(MapApp.MimeType, resource.MimeType);
        Assert.StartsWith(ViewerAddress.GetLeftPart(UriPartial.Authority), viewerUrl, StringComparison.Ordinal);

        await using var host = await ChatHost.OpenAsync(chromium.Browser, call => agent.CallFromAppAsync(call, Cancel));
        await host.StartAsync(
            resource.Text,
            resource.Meta!["ui"]!["csp"]!,
            toolInput,
            shown,
            appTools);
        await host.WaitInHostAsync("() => window.hostLog.initialized");
        await host.WaitInAppAsync("() => window.mapServerViewer?.styleReady && window.mapServerViewer.status === 'connected' && window.mapServerViewer.state !== null");
        Assert.Equal(0.0, await host.AppFrame.EvaluateAsync<double>(RedShare));

        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, sessionId);

        // Another replica (an api process of its own on the same Redis) adds a red area under the view.
        double[][][] ring = [[[-5.0, 43.0], [10.0, 43.0], [10.0, 54.0], [-5.0, 54.0], [-5.0, 43.0]]];
        var square = new { type = "FeatureCollection", features = new[] { new { type = "Feature", properties = new Dictionary<string, object>(), geometry = new { type = "Polygon", coordinates = ring } } } };
        var version = await agent.ApplyAsync(sessionId, new AddLayer(
            "red-zone",
            JsonSerializer.SerializeToElement(new { type = "geojson", data = square }),
            [JsonSerializer.SerializeToElement(new { id = "red-zone-fill", type = "fill", source = "red-zone", paint = new Dictionary<string, object> { ["fill-color"] = "#ff0000", ["fill-opacity"] = 1 } })],
            "Red zone",
            "#ff0000"), Cancel);

        await host.WaitInAppAsync(ViewerHandle.VersionDrawn, version);
        await viewer.WaitAsync(ViewerHandle.VersionDrawn, version);
        var red = await host.AppFrame.EvaluateAsync<double>(RedShare);
        Assert.True(red > 0.2, $"only {red:P0} of the map in the chat is the red layer");
        await Assertions.Expect(host.AppFrame.GetByText("Red zone")).ToBeAttachedAsync(); // its panel lists the layer
        await host.ScreenshotAsync("map-in-a-chat");

        // The model is told what the map in the chat shows (with a snapshot: this host takes images).
        await host.WaitInHostAsync($"() => window.hostLog.modelContext.some(c => c.structuredContent?.version >= {version})");
        var context = JsonDocument.Parse(await host.Page.EvaluateAsync<string>("() => JSON.stringify(window.hostLog.modelContext.at(-1))")).RootElement;
        Assert.Contains("red-zone", context.GetProperty("content")[0].GetProperty("text").GetString(), StringComparison.Ordinal);
        var snapshot = context.GetProperty("content").EnumerateArray().Single(c => c.GetProperty("type").GetString() == "image");
        Assert.Equal("image/png", snapshot.GetProperty("mimeType").GetString());
        Assert.StartsWith("iVBORw0KGgo", snapshot.GetProperty("data").GetString(), StringComparison.Ordinal); // a PNG

        // Its viewport reports travel as the app-only tool through the host, and get_viewport answers with them.
        await WaitForAsync(async () => (await agent.CallAsync("get_viewport", new() { ["session_id"] = sessionId }, Cancel)).GetProperty("reported").GetBoolean());
        Assert.Empty(await host.LogAsync<string[]>("refusedCalls"));

        // "Open the full map" asks the host to open the viewer link.
        await host.AppFrame.GetByRole(AriaRole.Link, new() { Name = "Open the full map" }).ClickAsync();
        await host.WaitInHostAsync("() => window.hostLog.openedLinks.length > 0");
        Assert.Equal([viewerUrl], await host.LogAsync<string[]>("openedLinks"));

        host.AssertNoErrors();
        viewer.AssertNoErrors();
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 20 s");
            await Task.Delay(200, Cancel);
        }
    }
}
