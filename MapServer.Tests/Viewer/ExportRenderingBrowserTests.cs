using System.Text.Json;
using MapServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>
/// One renderer: the style export_map returns, drawn by a bare MapLibre page that knows nothing of the viewer, shows
/// the same pixels as the viewer on the same state, camera and screen size.
/// </summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class ExportRenderingBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const int Columns = 48;
    private const int Rows = 32;

    /// <summary>The canvas's pixels on a grid (CSS pixels), read right after a frame is drawn; `map` is the page's MapLibre map.</summary>
    private const string GridPixels = """
        ([columns, rows]) => new Promise(resolve => {
            const m = window.mapServerViewer?.map ?? window.exportMap;
            m.once('render', () => {
                const canvas = m.getCanvas();
                const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
                const ratio = canvas.width / canvas.clientWidth;
                const pixels = [];
                for (let row = 0; row < rows; row++) {
                    for (let column = 0; column < columns; column++) {
                        const x = (column + 0.5) * canvas.clientWidth / columns, y = (row + 0.5) * canvas.clientHeight / rows;
                        const pixel = new Uint8Array(4);
                        gl.readPixels(Math.round(x * ratio), Math.round(canvas.height - y * ratio), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
                        pixels.push(Array.from(pixel.slice(0, 3)));
                    }
                }
                resolve(pixels);
            });
            m.triggerRepaint();
        })
        """;

    /// <summary>Resolves when the map has loaded everything and stopped moving and fading.</summary>
    private const string Settled = """
        () => new Promise(resolve => {
            const m = window.mapServerViewer?.map ?? window.exportMap;
            const check = () => m.loaded() && m.areTilesLoaded() && !m.isMoving() ? resolve(true) : m.once('idle', check);
            m.once('idle', check);
            m.triggerRepaint();
        })
        """;

    /// <summary>A page of the viewer's origin with nothing but MapLibre (served by the test, so no viewer code is on it).</summary>
    private const string BarePage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><link rel="stylesheet" href="/lib/maplibre/maplibre-gl.css"></head>
        <body style="margin:0"><div id="map"></div>
        <script type="module">
            import * as maplibregl from '/lib/maplibre/maplibre-gl.mjs';
            window.showStyle = ([style, camera, width, height]) => {
                const container = document.getElementById('map');
                container.style.width = `${width}px`;
                container.style.height = `${height}px`;
                window.exportMap = new maplibregl.Map({ container, style, ...camera, attributionControl: false });
                return true;
            };
        </script></body></html>
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    [Fact]
    public async Task Exported_style_in_a_bare_maplibre_page_draws_the_same_pixels_as_the_viewer()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await ParisScene.PlaceAsync(agent, sessionId, Cancel);
        await agent.CallAsync("set_layer_paint", new()
        {
            ["session_id"] = sessionId, ["layer_id"] = "parks", ["style_layer_id"] = "parks-fill", ["property"] = "fill-color",
            ["value"] = JsonSerializer.SerializeToElement(new object[] { "match", new[] { "get", "name" }, "Champ de Mars", "#dc2626", "#16a34a" }),
        }, Cancel);
        await agent.CallAsync("add_line", new() { ["session_id"] = sessionId, ["line_id"] = "walk", ["coordinates"] = new[] { new[] { 2.30, 48.85 }, new[] { 2.33, 48.87 } }, ["label"] = "Walk" }, Cancel);
        var version = await agent.SetViewAsync(sessionId, [2.33, 48.858], 13, 0, Cancel);

        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, sessionId);
        await viewer.WaitForVersionAsync(version);
        await viewer.EvaluateAsync<bool>(Settled);
        var camera = await viewer.EvaluateAsync<string>("""
            () => { const m = window.mapServerViewer.map; const c = m.getCenter();
                    return JSON.stringify({ center: [c.lng, c.lat], zoom: m.getZoom(), bearing: m.getBearing(), pitch: m.getPitch() }); }
            """);
        var size = await viewer.EvaluateAsync<int[]>("() => [window.mapServerViewer.map.getContainer().clientWidth, window.mapServerViewer.map.getContainer().clientHeight]");
        var drawn = await viewer.EvaluateAsync<int[][]>(GridPixels, new[] { Columns, Rows });
        await viewer.ScreenshotAsync("export-check-viewer");

        var exported = await agent.CallAsync("export_map", new() { ["session_id"] = sessionId }, Cancel);
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 }, ColorScheme = ColorScheme.Light });
        try
        {
            var page = await context.NewPageAsync();
            var bare = new Uri(ViewerAddress, "/export-check").ToString();
            await page.RouteAsync(bare, route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = BarePage }));
            await page.GotoAsync(bare);
            await page.WaitForFunctionAsync("() => window.showStyle !== undefined");
            await page.EvaluateAsync<bool>(
                "([style, camera, width, height]) => window.showStyle([JSON.parse(style), JSON.parse(camera), width, height])",
                new object[] { exported.GetProperty("style").GetRawText(), camera, size[0], size[1] });
            await page.EvaluateAsync<bool>(Settled);
            var exportedPixels = await page.EvaluateAsync<int[][]>(GridPixels, new[] { Columns, Rows });
            var bytes = await page.Locator("#map").ScreenshotAsync();
            TestContext.Current.AddAttachment("export-check-bare-maplibre", bytes, "image/png");

            var different = drawn.Zip(exportedPixels).Count(pair => pair.First.Zip(pair.Second).Max(c => Math.Abs(c.First - c.Second)) > 24);
            Assert.True(different <= drawn.Length / 100, $"{different} of {drawn.Length} sampled pixels differ between the viewer and the exported style");
            // Not a blank pair: the sample crosses land, parks (both match colours), the metro line and annotations.
            Assert.True(drawn.Distinct(new PixelComparer()).Count() > 6, "the sampled pixels show too few colours: nothing was drawn");
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    private sealed class PixelComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.SequenceEqual(y);

        public int GetHashCode(int[] obj) => HashCode.Combine(obj[0], obj[1], obj[2]);
    }
}
