using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Tests.Infrastructure;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>
/// The viewer's pure ES modules (merge-patch, legend, map-style, markdown) unit-tested where they run: imported from
/// the viewer's origin into the Chromium the browser tests use.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class ViewerModuleTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    /// <summary>Runs <paramref name="body"/> (an async function of the imported module) in a page of the viewer's origin.</summary>
    private async Task<JsonElement> RunAsync(string module, string body, object? argument = null)
    {
        var context = await chromium.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(ViewerAddress, "/not-found").ToString());
            var json = await page.EvaluateAsync<string>(
                $"async argument => {{ const m = await import('/js/{module}'); return JSON.stringify(await ({body})(m, argument)); }}", argument);
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    [Fact]
    public async Task Merge_patch_deletes_on_null_merges_objects_and_replaces_arrays()
    {
        var result = await RunAsync("merge-patch.js", """
            m => m.mergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1, 2], f: 'x' }, { a: null, b: { c: 5, g: { h: 1 } }, e: [3], f: { y: 1 } })
            """);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"b":{"c":5,"d":3,"g":{"h":1}},"e":[3],"f":{"y":1}}"""), JsonNode.Parse(result.GetRawText())), result.GetRawText());
    }

    [Fact]
    public async Task Legend_lists_the_classes_of_match_step_and_interpolate_colours()
    {
        var result = await RunAsync("legend.js", """
            m => ({
                match: m.legendOf({ layers: [{ id: 'a', type: 'circle', paint: { 'circle-color': ['match', ['get', 'kind'], 'park', '#16a34a', ['lake', 'sea'], '#0ea5e9', '#94a3b8'] } }] }),
                step: m.colorClasses(['step', ['get', 'pop'], '#eff6ff', 1000, '#93c5fd', 100000, '#1d4ed8']),
                interpolate: m.colorClasses(['interpolate', ['linear'], ['get', 'v'], 0, '#000000', 10.5, '#ffffff']),
                overridden: m.legendOf({ layers: [{ id: 'a', type: 'fill', paint: { 'fill-color': '#111111' } }], paint: { a: { 'fill-color': ['match', ['get', 'x'], 1, 'red', 'blue'] } } }),
            })
            """);
        var match = result.GetProperty("match");
        Assert.Equal("kind", match.GetProperty("property").GetString());
        Assert.Equal(
            [("park", "#16a34a"), ("lake, sea", "#0ea5e9"), ("Other", "#94a3b8")],
            match.GetProperty("classes").EnumerateArray().Select(c => (c.GetProperty("label").GetString(), c.GetProperty("color").GetString())));
        Assert.Equal("#16a34a", match.GetProperty("swatch").GetString());
        Assert.Equal(["< 1,000", "1,000 – 100,000", "≥ 100,000"], result.GetProperty("step").EnumerateArray().Select(c => c.GetProperty("label").GetString()));
        Assert.Equal(["0", "10.5"], result.GetProperty("interpolate").EnumerateArray().Select(c => c.GetProperty("label").GetString()));
        // The agent's paint override is what the map draws, so the legend follows it.
        Assert.Equal(["1", "Other"], result.GetProperty("overridden").GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("label").GetString()));
    }

    [Fact]
    public async Task Legend_swatch_is_the_painted_colour_and_colours_that_are_not_plain_fall_back()
    {
        var result = await RunAsync("legend.js", """
            m => [
                m.legendOf({ layers: [{ id: 'a', type: 'line', paint: { 'line-color': '#9333ea' } }], legendColor: '#000000' }).swatch,
                m.legendOf({ layers: [{ id: 'a', type: 'raster' }], legendColor: '#f59e0b' }).swatch,
                m.legendOf({ layers: [{ id: 'a', type: 'line', paint: { 'line-color': 'red;background:url(x)' } }] }).swatch,
                m.cssColor('rgb(1, 2, 3)'),
            ]
            """);
        Assert.Equal(["#9333ea", "#f59e0b", "#64748b", "rgb(1, 2, 3)"], result.EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public async Task Renderer_bakes_in_overrides_opacity_visibility_and_order_with_the_basemap_under_and_annotations_over()
    {
        var result = await RunAsync("map-style.js", """
            m => m.renderStyle({
                version: 3, basemap: 'topo', layerOrder: ['roads', 'parks'],
                layers: {
                    parks: { source: { type: 'geojson', data: '/d/parks' }, layers: [{ id: 'parks-fill', type: 'fill', paint: { 'fill-opacity': 0.5 } }], opacity: 0.5, paint: { 'parks-fill': { 'fill-color': '#16a34a' } } },
                    roads: { source: { type: 'geojson', data: '/d/roads' }, layers: [{ id: 'roads-line', type: 'line', filter: ['==', 1, 1] }], visible: false, filters: { 'roads-line': ['==', ['get', 'kind'], 'major'] } },
                },
                annotations: {},
            }, { origin: 'https://maps.example/', hiddenLayers: ['parks'] })
            """);
        var layers = result.GetProperty("layers").EnumerateArray().ToList();
        var ids = layers.Select(l => l.GetProperty("id").GetString()!).ToList();
        Assert.True(ids.IndexOf("basemap-raster") < ids.IndexOf("roads-line"), "online tiles under the data");
        Assert.True(ids.IndexOf("roads-line") < ids.IndexOf("parks-fill"), "the state's order, bottom to top");
        Assert.True(ids.IndexOf("parks-fill") < ids.IndexOf("mapserver-annotation-marker"), "annotations on top");
        var parks = layers.Single(l => l.GetProperty("id").GetString() == "parks-fill");
        Assert.Equal(0.25, parks.GetProperty("paint").GetProperty("fill-opacity").GetDouble(), 6);
        Assert.Equal("#16a34a", parks.GetProperty("paint").GetProperty("fill-color").GetString());
        Assert.Equal("none", parks.GetProperty("layout").GetProperty("visibility").GetString()); // hidden by this person
        var roads = layers.Single(l => l.GetProperty("id").GetString() == "roads-line");
        Assert.Equal("none", roads.GetProperty("layout").GetProperty("visibility").GetString()); // hidden by the agent
        Assert.Equal("""["==",["get","kind"],"major"]""", roads.GetProperty("filter").GetRawText());
        Assert.Equal("https://maps.example/glyphs/{fontstack}/{range}.pbf", result.GetProperty("glyphs").GetString());
        Assert.Equal("topo", result.GetProperty("metadata").GetProperty("mapserver:basemap").GetString());
    }

    [Fact]
    public async Task Renderer_draws_circles_as_their_radius_on_the_ground_and_keeps_labels_and_popups()
    {
        var result = await RunAsync("map-style.js", """
            m => m.annotationFeatures({ version: 1, annotations: {
                c: { kind: 'circle', geometry: { type: 'Point', coordinates: [0, 60] }, radiusMeters: 5000, label: 'Five km' },
                p: { kind: 'marker', geometry: { type: 'Point', coordinates: [2.35, 48.85] }, popup: '**hi**' },
            } })
            """);
        var features = result.GetProperty("features").EnumerateArray().ToList();
        var ring = features[0].GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble())).ToList();
        Assert.Equal(65, ring.Count);
        Assert.Equal(ring[0], ring[^1]);
        Assert.Equal(60 + 5000 / 111_195.08, ring[0].Lat, 6); // due north, 5 km
        Assert.Equal("Five km", features[0].GetProperty("properties").GetProperty("label").GetString());
        Assert.Equal("#e11d48", features[1].GetProperty("properties").GetProperty("color").GetString());
        Assert.Equal("**hi**", features[1].GetProperty("properties").GetProperty("popup").GetString());
    }

    [Fact]
    public async Task Markdown_shows_html_as_text_and_only_https_links()
    {
        var result = await RunAsync("markdown.js", """
            m => { const div = document.createElement('div'); div.append(m.markdownToNodes('<img src=x onerror=alert(1)> **bold**\n\n- [site](https://example.com)\n- [bad](javascript:alert(1))')); return div.innerHTML; }
            """);
        var html = result.GetString()!;
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; <strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"https://example.com\" target=\"_blank\" rel=\"noopener noreferrer\">site</a></li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.Ordinal);
    }
}
