using System.Text.Json;
using MapServer.Renderer.Rendering;
using MapServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MapServer.Tests.Viewer;

/// <summary>The renderer's tab pool, driving Debian's Chromium on the AppHost viewer's render page.</summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class ChromiumPoolTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Past_its_tabs_and_queue_the_pool_says_it_is_busy_at_once_and_draws_the_rest()
    {
        _ = chromium.Browser; // skip (fail in CI) without Debian's Chromium
        await using var pool = new ChromiumPool(Options.Create(new RendererOptions
        {
            ViewerUrl = app.App.GetEndpoint("map-viewer", "http").ToString(),
            ChromiumPath = ChromiumFixture.ExecutablePath,
            Pages = 1,
            QueueLimit = 1,
        }), NullLogger<ChromiumPool>.Instance);
        var state = JsonSerializer.SerializeToElement(new { version = 1, basemap = "blank", center = new[] { 2.35, 48.85 }, zoom = 3 });

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            try
            {
                return (Png: await pool.RenderAsync(new RenderRequest(state, 200 + i, 150), Cancel), Error: null as string);
            }
            catch (RendererUnavailableException ex)
            {
                return (Png: null as byte[], Error: ex.Message);
            }
        }));

        // One tab drawing and one waiting: the other four are told at once, in words.
        Assert.Equal(2, attempts.Count(a => a.Png is not null));
        Assert.All(attempts.Where(a => a.Png is null), a => Assert.Contains("busy", a.Error, StringComparison.Ordinal));
        Assert.All(attempts.Where(a => a.Png is not null), a => Assert.True(MapImage.FromPng(a.Png!).Width >= 200));
    }

    [Theory]
    [InlineData("http://viewer.internal:8080/lib/maplibre/maplibre-gl.mjs", true)]
    [InlineData("https://tile.openstreetmap.org/1/0/0.png", true)]
    [InlineData("https://203.0.113.7/tiles/1/0/0.png", true)]
    [InlineData("data:application/json,{}", true)]
    [InlineData("http://127.0.0.1:6379/", false)]
    [InlineData("http://localhost:8081/metrics", false)]
    [InlineData("http://10.0.0.5/", false)]
    [InlineData("http://169.254.169.254/latest/meta-data/", false)]
    [InlineData("http://[fd00::1]/", false)]
    [InlineData("http://[::ffff:192.168.1.1]/", false)]
    [InlineData("file:///etc/passwd", false)]
    public void Render_tabs_reach_the_viewer_and_public_hosts_only(string url, bool allowed) =>
        Assert.Equal(allowed, ChromiumPool.IsAllowed(new Uri(url), new Uri("http://viewer.internal:8080")));
}
