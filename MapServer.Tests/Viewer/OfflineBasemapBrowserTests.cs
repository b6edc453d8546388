using System.Text.Json;
using MapServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>
/// The viewer with every request off its own origin refused (no internet): the shipped basemap still shows land,
/// sea, country and city names under the online basemap's missing tiles, and annotations carry their labels.
/// </summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class OfflineBasemapBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>Reads the map's pixels at [lng, lat] points right after a frame is drawn (before the buffer is cleared).</summary>
    private const string PixelsAt = """
        points => new Promise(resolve => {
            const m = window.mapServerViewer.map;
            m.once('render', () => {
                const canvas = m.getCanvas();
                const gl = canvas.getContext('webgl2') || canvas.getContext('webgl');
                const ratio = canvas.width / canvas.clientWidth;
                resolve(points.map(([lng, lat]) => {
                    const p = m.project([lng, lat]);
                    const pixel = new Uint8Array(4);
                    gl.readPixels(Math.round(p.x * ratio), Math.round(canvas.height - p.y * ratio), 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
                    return Array.from(pixel);
                }));
            });
            m.triggerRepaint();
        })
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    [Fact]
    public async Task Without_internet_the_map_shows_land_sea_country_and_city_names_and_labelled_annotations()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        var origin = ViewerAddress.GetLeftPart(UriPartial.Authority);
        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, sessionId, beforeNavigation: page => WithoutInternetAsync(page, origin));

        await agent.CallAsync("add_line", new() { ["session_id"] = sessionId, ["line_id"] = "route", ["coordinates"] = new[] { new[] { -1.5, 47.2 }, new[] { 4.8, 45.8 }, new[] { 12.5, 41.9 } }, ["label"] = "Route A" }, Cancel);
        await agent.CallAsync("add_polygon", new() { ["session_id"] = sessionId, ["polygon_id"] = "zone", ["coordinates"] = new[] { new[] { 14.0, 50.0 }, new[] { 20.0, 50.0 }, new[] { 20.0, 54.0 }, new[] { 14.0, 54.0 } }, ["label"] = "Zone B" }, Cancel);
        var version = await agent.SetViewAsync(sessionId, [8, 47], 3.6, 0, Cancel); // streets, whose tiles cannot load here
        await viewer.WaitForVersionAsync(version);

        await viewer.WaitAsync("""
            () => { const m = window.mapServerViewer.map; if (m.isMoving()) return false;
                    const names = m.queryRenderedFeatures({ layers: ['basemap-places', 'basemap-cities-major'] }).map(f => f.properties.name);
                    const labels = m.queryRenderedFeatures({ layers: ['mapserver-annotation-line-label', 'mapserver-annotation-area-label'] }).map(f => f.properties.label);
                    return names.includes('France') && names.includes('Paris') && names.includes('Rome') && labels.includes('Route A') && labels.includes('Zone B'); }
            """);

        double[][] land = [[2.0, 48.3], [10.5, 52.8], [-5.5, 38.5]];
        double[][] sea = [[-7, 45.5], [18, 35], [3, 55.5]]; // Bay of Biscay, Ionian Sea, North Sea
        var pixels = await viewer.Page.EvaluateAsync<int[][]>(PixelsAt, land.Concat(sea).ToArray());
        var (onLand, atSea) = (pixels[..land.Length], pixels[land.Length..]);
        Assert.All(onLand, p => Assert.True(p[0] > p[2] + 5, $"land drawn as rgb({p[0]},{p[1]},{p[2]}): expected the land colour"));
        Assert.All(atSea, p => Assert.True(p[2] > p[0] + 20, $"sea drawn as rgb({p[0]},{p[1]},{p[2]}): expected the water colour"));
        await viewer.ScreenshotAsync("offline-basemap-with-labels");

        // Closer in, no line runs down the prime meridian: the land at 0° is the land beside it.
        version = await agent.SetViewAsync(sessionId, [0.5, 46.5], 6, 0, Cancel);
        await viewer.WaitForVersionAsync(version);
        await viewer.WaitAsync("() => !window.mapServerViewer.map.isMoving() && window.mapServerViewer.map.areTilesLoaded()");
        double[] latitudes = [45.6, 46.4, 47.8];
        var meridian = await viewer.Page.EvaluateAsync<int[][]>(PixelsAt, latitudes.SelectMany(lat => new[] { new[] { -0.06, lat }, [0.0, lat], [0.06, lat] }).ToArray());
        for (var i = 0; i < latitudes.Length; i++)
        {
            var (west, on, east) = (meridian[3 * i], meridian[3 * i + 1], meridian[3 * i + 2]);
            Assert.True(Enumerable.Range(0, 3).All(c => Math.Abs(on[c] - (west[c] + east[c]) / 2.0) <= 6),
                $"at 0°, {latitudes[i]}° the map is rgb({on[0]},{on[1]},{on[2]}) between rgb({west[0]},{west[1]},{west[2]}) and rgb({east[0]},{east[1]},{east[2]}): a line where there is none");
        }
    }

    [Fact]
    public async Task Where_online_tiles_cannot_load_the_viewer_stops_asking_for_them_and_says_so_once()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        var origin = ViewerAddress.GetLeftPart(UriPartial.Authority);
        var tileRequests = 0;
        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, sessionId, beforeNavigation: page =>
            WithoutInternetAsync(page, origin, () => Interlocked.Increment(ref tileRequests)));

        var version = await agent.SetViewAsync(sessionId, [2.35, 48.85], 5, 0, Cancel); // streets, whose tiles cannot load here
        await viewer.WaitForVersionAsync(version);
        await viewer.WaitAsync("() => document.querySelector('[data-testid=basemap-notice]')?.hidden === false");
        await Task.Delay(500, Cancel); // what was in flight when the tiles were dropped
        var askedBeforePanning = Volatile.Read(ref tileRequests);
        foreach (var (lon, lat, zoom) in new[] { (10.0, 50.0, 6.0), (-3.7, 40.4, 7.0), (12.5, 41.9, 8.0), (0.0, 20.0, 2.0) })
        {
            await viewer.Page.EvaluateAsync("([lon, lat, zoom]) => { window.mapServerViewer.map.jumpTo({ center: [lon, lat], zoom }); }", new[] { lon, lat, zoom });
            await Task.Delay(300, Cancel);
        }

        Assert.True(askedBeforePanning > 0, "the viewer should have tried the online basemap first");
        Assert.Equal(askedBeforePanning, Volatile.Read(ref tileRequests)); // panning asks for no more online tiles
        var notices = await viewer.Page.Locator("[data-testid=basemap-notice]").AllInnerTextsAsync();
        Assert.Contains("offline basemap", Assert.Single(notices), StringComparison.Ordinal);
        Assert.Equal("streets", await viewer.Page.EvaluateAsync<string>("() => window.mapServerViewer.state.basemap")); // this screen only: the map keeps its basemap
        await viewer.ScreenshotAsync("online-basemap-unreachable");
    }

    /// <summary>Every request off the viewer's own origin refused, as without internet; <paramref name="refused"/> counts them.</summary>
    private static async Task WithoutInternetAsync(IPage page, string origin, Action? refused = null) =>
        await page.RouteAsync("**/*", route =>
        {
            if (route.Request.Url.StartsWith(origin, StringComparison.Ordinal))
            {
                return route.ContinueAsync();
            }

            refused?.Invoke();
            return route.AbortAsync("internetdisconnected");
        });

    [Fact]
    public async Task Glyphs_are_served_from_the_viewer_for_any_font_the_style_names()
    {
        using var http = new HttpClient { BaseAddress = ViewerAddress };

        using var named = await http.GetAsync("/glyphs/Open%20Sans%20Regular,Arial%20Unicode%20MS%20Regular/0-255.pbf", Cancel);
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        Assert.Equal("application/x-protobuf", named.Content.Headers.ContentType?.MediaType);
        Assert.True((await named.Content.ReadAsByteArrayAsync(Cancel)).Length > 1000);

        using var bad = await http.GetAsync("/glyphs/Noto%20Sans%20Regular/..%2F..%2Fappsettings.json", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
    }
}
