using System.Collections.Concurrent;
using MapServer.Tests.Infrastructure;
using MapServer.Web.Security;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>The viewer's Content-Security-Policy in real Chromium: strict, and the map still works under it.</summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class ViewerSecurityPolicyBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>Records every violation the document reports, from before its first script runs.</summary>
    private const string ViolationRecorder = """
        window.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
            window.cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`));
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    [Fact]
    public async Task Viewer_sends_a_strict_policy_and_draws_geojson_raster_tiles_and_markers_under_it_without_violations()
    {
        var browser = chromium.Browser;
        await using var tiles = await TileServer.StartAsync(Cancel);
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await agent.AddRasterLayerAsync(sessionId, "amber", "Amber tiles", tiles.TileUrlTemplate, Cancel); // first, so it lies under the rest
        await ParisScene.PlaceAsync(agent, sessionId, Cancel);
        var version = await agent.SetViewAsync(sessionId, [2.335, 48.857], 12.6, 0, Cancel);
        var messages = new ConcurrentQueue<string>();

        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId, beforeNavigation: page => ListenAsync(page, messages));
        await viewer.WaitForVersionAsync(version);
        await viewer.WaitAsync("() => !window.mapServerViewer.map.isMoving() && window.mapServerViewer.map.areTilesLoaded()");
        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['parks-fill'] }).length > 0");
        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['metro-line'] }).length > 0");
        await viewer.WaitAsync("() => window.mapServerViewer.map.isSourceLoaded('amber') && window.mapServerViewer.map.getLayer('amber-raster')");
        Assert.True(tiles.TilesServed > 0, "the browser loaded no tile from the raster layer's host");
        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['mapserver-annotation-marker'] }).some(f => f.properties.id === 'eiffel')");
        await viewer.Page.Locator("[data-marker-id=eiffel]").ClickAsync();
        await Assertions.Expect(viewer.Page.Locator(".maplibregl-popup .msv-popup")).ToContainTextAsync("<b>1889</b>");
        // The side panel (drawn by the page's modules, with its swatches' style attributes) works under the policy too.
        await Assertions.Expect(viewer.Page.GetByTestId("status")).ToContainTextAsync($"Live · v{version}");
        await Assertions.Expect(viewer.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Amber tiles" })).ToBeCheckedAsync();
        await viewer.ScreenshotAsync("viewer-under-csp");

        var headers = await viewer.Response!.HeadersArrayAsync();
        var policy = PolicyDirectives.Parse(Assert.Single(headers, h => h.Name.Equals("Content-Security-Policy", StringComparison.OrdinalIgnoreCase)).Value);
        AssertStrict(policy);
        // The AppHost runs the viewer in Development, where local http tile servers are allowed (as the api allows them).
        Assert.Contains("http:", policy["img-src"]);
        Assert.Contains("http:", policy["connect-src"]);
        Assert.Equal("nosniff", Assert.Single(headers, h => h.Name.Equals("X-Content-Type-Options", StringComparison.OrdinalIgnoreCase)).Value);
        Assert.Equal("strict-origin-when-cross-origin", Assert.Single(headers, h => h.Name.Equals("Referrer-Policy", StringComparison.OrdinalIgnoreCase)).Value);

        Assert.Empty(await viewer.EvaluateAsync<string[]>("() => window.cspViolations"));
        Assert.DoesNotContain(messages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(messages, m => m.Contains("map:", StringComparison.Ordinal)); // MapLibre's errors (a refused tile) are logged so
    }

    [Fact]
    public async Task Home_page_creates_a_map_and_opens_it_under_the_policy_without_violations()
    {
        var browser = chromium.Browser;
        var context = await browser.NewContextAsync();
        await ViewerHandle.InstallAsync(context);
        var page = await context.NewPageAsync();
        var messages = new ConcurrentQueue<string>();
        await ListenAsync(page, messages);

        var response = await page.GotoAsync(new Uri(ViewerAddress, "/").ToString());
        await page.WaitForURLAsync(url => url.Contains("/map/", StringComparison.Ordinal));
        await page.WaitForFunctionAsync("() => window.mapServerViewer?.status === 'connected'");
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync("Live");
        Assert.Equal("GET", response!.Request.Method); // the page itself creates nothing: its script posts the form

        AssertStrict(PolicyDirectives.Parse(Assert.Single(await response!.HeadersArrayAsync(), h => h.Name.Equals("Content-Security-Policy", StringComparison.OrdinalIgnoreCase)).Value));
        Assert.Empty(await page.EvaluateAsync<string[]>("() => window.cspViolations"));
        Assert.DoesNotContain(messages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));

        // The map replaced "/" in the history: Back goes to the page before it (the tab's blank page), not to a second map.
        await page.GoBackAsync();
        Assert.Equal("about:blank", page.Url);
        await context.DisposeAsync();
    }

    private static async Task ListenAsync(IPage page, ConcurrentQueue<string> messages)
    {
        page.Console += (_, message) => messages.Enqueue($"{message.Type}: {message.Text}");
        // MapLibre's workers fetch GeoJSON and tiles: a refusal there is reported in the worker, not the document.
        page.Worker += (_, worker) => worker.Console += (_, message) => messages.Enqueue($"worker {message.Type}: {message.Text}");
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Current.SendDiagnosticMessage($"browser: {message.Text}");
            }
        };
        await page.AddInitScriptAsync(ViolationRecorder);
    }

    private static void AssertStrict(Dictionary<string, string[]> policy)
    {
        Assert.Equal(["'self'"], policy["default-src"]);
        Assert.Equal("'self'", policy["script-src"][0]);
        Assert.Single(policy["script-src"], source => source.StartsWith("'sha256-", StringComparison.Ordinal)); // the import map
        Assert.Equal(2, policy["script-src"].Length);
        Assert.Equal(["'self'", "'unsafe-inline'"], policy["style-src"]);
        Assert.Equal(["'self'", "data:", "blob:"], policy["img-src"][..3]);
        Assert.Equal("'self'", policy["connect-src"][0]);
        foreach (var host in ViewerSecurityHeaders.BasemapHosts)
        {
            Assert.Contains($"https://{host}", policy["img-src"]);
            Assert.Contains($"https://{host}", policy["connect-src"]);
        }

        Assert.Contains("https:", policy["img-src"]);
        Assert.Contains("https:", policy["connect-src"]);
        Assert.Equal(["'self'", "blob:"], policy["worker-src"]);
        Assert.Equal(["'self'", "blob:"], policy["child-src"]);
        Assert.Equal(["'self'"], policy["font-src"]);
        Assert.Equal(["'none'"], policy["object-src"]);
        Assert.Equal(["'self'"], policy["base-uri"]);
        Assert.Equal(["'self'"], policy["form-action"]);
        Assert.Equal(["'self'"], policy["frame-ancestors"]);
    }
}
