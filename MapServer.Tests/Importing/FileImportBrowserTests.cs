using MapServer.Tests.Infrastructure;
using MapServer.Tests.Viewer;
using Microsoft.Playwright;

namespace MapServer.Tests.Importing;

/// <summary>A person drops their files on the map in a real Chromium, through the viewer's origin, while others watch.</summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class FileImportBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    [Fact]
    public async Task Files_of_every_format_dropped_on_the_map_appear_for_every_viewer_and_the_agent_can_describe_them()
    {
        ImportFile[] files = [.. new[] { "cities.csv", "areas.tsv", "rivers.geojson", "places.kml", "places.kmz", "ride.gpx", "parcels.zip", "transit.gpkg" }.Select(ImportFiles.Named)];
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        var link = await agent.CallAsync("get_import_link", new() { ["session_id"] = sessionId }, Cancel);
        var importToken = link.GetProperty("import_url").GetString()!.Split('/')[^1];
        var viewToken = (await agent.CallAsync("show_map", new() { ["session_id"] = sessionId }, Cancel)).GetProperty("viewer_url").GetString()!.Split('/')[^1];
        await using var dropper = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, importToken);
        await using var watcher = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, viewToken);

        await Assertions.Expect(dropper.Page.GetByTestId("link-kind")).ToContainTextAsync("add data from your files");
        await DropAsync(dropper.Page, files); // one drop of eight files: they upload one after another

        foreach (var file in files)
        {
            await Assertions.Expect(dropper.Page.Locator($"[data-testid=import-item][data-file-name='{file.Name}'] [data-testid=import-result]").First)
                .ToContainTextAsync("Added layer", new() { Timeout = 30_000 });
        }

        var layers = (await agent.CallAsync("list_layers", new() { ["session_id"] = sessionId }, Cancel)).GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("layer_id").GetString()!).ToList();
        // The agent frames the new data for everyone (small polygons vanish at a world view's zoom).
        double[] all = [files.Min(f => f.Bbox[0]), files.Min(f => f.Bbox[1]), files.Max(f => f.Bbox[2]), files.Max(f => f.Bbox[3])];
        await agent.CallAsync("fit_bounds", new() { ["session_id"] = sessionId, ["bbox"] = all }, Cancel);
        var features = 0;
        foreach (var layerId in layers)
        {
            features += (await agent.CallAsync("describe_layer", new() { ["session_id"] = sessionId, ["layer_id"] = layerId }, Cancel)).GetProperty("features").GetInt32();
            foreach (var viewer in new[] { dropper, watcher })
            {
                // The layer's data reached each page's map: its features are in the map's source.
                await viewer.WaitAsync(
                    "id => { const m = window.mapServerViewer.map; return m.getSource(id) && m.querySourceFeatures(id).length > 0; }", layerId, TimeSpan.FromSeconds(30));
            }
        }

        Assert.Equal(files.Sum(f => f.Features), features);
        Assert.Equal(9, layers.Count); // a layer per file, two for the GeoPackage's two tables
        await watcher.ScreenshotAsync("file-import-every-format");
        dropper.AssertNoErrors();
        watcher.AssertNoErrors();
    }

    [Fact]
    public async Task Picking_files_shows_each_result_and_export_links_download_the_layer()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, sessionId);

        await viewer.Page.GetByTestId("import-input").SetInputFilesAsync(
        [
            new FilePayload { Name = "cities.csv", MimeType = "text/csv", Buffer = ImportFiles.CitiesCsv.Bytes },
            new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "just some notes\n"u8.ToArray() },
        ]);

        await Assertions.Expect(viewer.Page.Locator("[data-testid=import-item][data-file-name='cities.csv'] [data-testid=import-result]")).ToContainTextAsync("(5 features)", new() { Timeout = 30_000 });
        var error = viewer.Page.Locator("[data-testid=import-item][data-file-name='notes.txt'] [data-testid=import-error]");
        await Assertions.Expect(error).ToContainTextAsync("Found no coordinates", new() { Timeout = 30_000 });
        await Assertions.Expect(error).ToContainTextAsync("'just some notes'");
        await viewer.WaitAsync("() => window.mapServerViewer.map.querySourceFeatures('cities').length > 0 && window.mapServerViewer.map.loaded()");
        await viewer.ScreenshotAsync("file-import-results");

        var csvLink = viewer.Page.GetByTestId("export-csv-cities");
        await Assertions.Expect(csvLink).ToBeVisibleAsync();
        var download = await viewer.Page.APIRequest.GetAsync(new Uri(ViewerAddress, await csvLink.GetAttributeAsync("href")).ToString());
        Assert.Equal(200, download.Status);
        Assert.StartsWith("longitude,latitude,name,population", await download.TextAsync(), StringComparison.Ordinal);
        Assert.Contains("attachment", download.Headers["content-disposition"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_only_link_explains_instead_of_importing()
    {
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var created = await agent.CallAsync("create_map_session", [], Cancel);
        var viewToken = created.GetProperty("viewer_url").GetString()!.Split('/')[^1];
        await using var viewer = await ViewerPage.OpenAsync(chromium.Browser, ViewerAddress, viewToken);
        await Assertions.Expect(viewer.Page.GetByTestId("import-button")).ToHaveCountAsync(0);
        await Assertions.Expect(viewer.Page.GetByTestId("link-kind")).ToContainTextAsync("read-only");
        await Assertions.Expect(viewer.Page.GetByTestId("agent-sentence")).ToHaveCountAsync(0); // a token is nothing to tell an agent

        await DropAsync(viewer.Page, [ImportFiles.CitiesCsv]);

        await Assertions.Expect(viewer.Page.GetByTestId("import-readonly")).ToContainTextAsync("get_import_link");
        var layers = (await agent.CallAsync("list_layers", new() { ["session_id"] = created.GetProperty("session_id").GetString() }, Cancel)).GetProperty("layers");
        Assert.Equal(0, layers.GetArrayLength());
    }

    /// <summary>Drops <paramref name="files"/> on the map as a person dragging them from their desktop does (a DataTransfer holding them).</summary>
    private static async Task DropAsync(IPage page, ImportFile[] files) =>
        await page.EvaluateAsync(
            """
            (files) => {
                const transfer = new DataTransfer();
                for (const { name, base64 } of files) {
                    transfer.items.add(new File([Uint8Array.from(atob(base64), c => c.charCodeAt(0))], name));
                }
                const zone = document.querySelector('.map-view');
                for (const type of ['dragenter', 'dragover', 'drop']) {
                    zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
                }
            }
            """,
            files.Select(file => new { name = file.Name, base64 = Convert.ToBase64String(file.Bytes) }).ToArray());
}
