using System.Globalization;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>The viewer in headless Chromium against the whole app: an agent changes the map over MCP, the page shows it.</summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class ViewerBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    [Fact]
    public async Task Viewer_shows_the_session_id_and_the_sentence_for_the_agent()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);

        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);

        Assert.Equal(sessionId, await viewer.Page.GetByTestId("session-id").InnerTextAsync());
        Assert.Equal($"Use map session {sessionId}", await viewer.Page.GetByTestId("agent-sentence").InnerTextAsync());
        await Assertions.Expect(viewer.Page.GetByTestId("status")).ToContainTextAsync("Live");
        await Assertions.Expect(viewer.Page.GetByRole(AriaRole.Button, new() { Name = "Copy the sentence for your agent" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Unknown_session_shows_not_found_with_a_way_to_start_a_new_map()
    {
        var browser = chromium.Browser;
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(ViewerAddress, "/map/AAAAAAAAAAAAAAAAAAAAAA").ToString());

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Map session not found" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Start a new map" })).ToBeVisibleAsync();
        await context.DisposeAsync();
    }

    [Fact]
    public async Task Agent_moving_the_view_moves_every_open_viewer_there()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var first = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);
        await using var second = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);

        var version = await agent.SetViewAsync(sessionId, [2.3522, 48.8566], 11, 20, Cancel);

        foreach (var viewer in new[] { first, second })
        {
            await viewer.WaitAsync("""
                () => { const m = window.mapServerViewer.map; const c = m.getCenter();
                        return !m.isMoving() && Math.abs(c.lng - 2.3522) < 1e-3 && Math.abs(c.lat - 48.8566) < 1e-3
                            && Math.abs(m.getZoom() - 11) < 1e-3 && Math.abs(m.getBearing() - 20) < 1e-3; }
                """);
            await Assertions.Expect(viewer.Page.GetByTestId("status")).ToContainTextAsync($"v{version}");
        }

        await first.ScreenshotAsync("viewer-after-set-map-view");
    }

    /// <summary>The camera is still, where MapLibre's own fitBounds puts the box [-10, 35, 30, 72] (padding 20) on this screen.</summary>
    private const string TallBoxFittedToThisScreen = """
        () => { const m = window.mapServerViewer.map; if (m.isMoving()) return false;
                const expected = m.cameraForBounds([[-10, 35], [30, 72]], { padding: 20 });
                const c = m.getCenter();
                return Math.abs(c.lat - expected.center.lat) < 0.01 && Math.abs(c.lng - expected.center.lng) < 0.01
                    && Math.abs(m.getZoom() - expected.zoom) < 0.01; }
        """;

    [Fact]
    public async Task Fit_bounds_of_a_tall_box_is_fitted_by_each_viewer_to_its_own_screen_as_maplibre_fits_it()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var desktop = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);
        await using var phone = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId, 390, 844);

        var version = (await agent.CallAsync("fit_bounds", new() { ["session_id"] = sessionId, ["bbox"] = new[] { -10.0, 35, 30, 72 }, ["padding"] = 20 }, Cancel))
            .GetProperty("version").GetInt64();

        foreach (var viewer in new[] { desktop, phone })
        {
            await viewer.WaitForVersionAsync(version);
            // Where MapLibre's own fitBounds puts this box on this screen: the Mercator middle (57.96), not the mean latitude (53.5).
            await viewer.WaitAsync(TallBoxFittedToThisScreen);
            Assert.Equal(57.96, await viewer.EvaluateAsync<double>("() => window.mapServerViewer.map.getCenter().lat"), 0.05);
        }

        Assert.True(await phone.EvaluateAsync<double>("() => window.mapServerViewer.map.getZoom()") < await desktop.EvaluateAsync<double>("() => window.mapServerViewer.map.getZoom()"),
            "the narrow screen should zoom out further to fit the same box");
    }

    /// <summary>The window is this wide and MapLibre has taken the new size (its canvas fills the container again).</summary>
    private const string MapResizedTo = """
        width => { const m = window.mapServerViewer.map;
                   return window.innerWidth === width && m.getCanvas().clientWidth === m.getContainer().clientWidth; }
        """;

    [Fact]
    public async Task A_fitted_box_is_fitted_again_when_the_screen_changes_size_until_the_person_moves_the_map()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var phone = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId, 390, 844);
        var version = (await agent.CallAsync("fit_bounds", new() { ["session_id"] = sessionId, ["bbox"] = new[] { -10.0, 35, 30, 72 }, ["padding"] = 20 }, Cancel))
            .GetProperty("version").GetInt64();
        await phone.WaitForVersionAsync(version);
        await phone.WaitAsync(TallBoxFittedToThisScreen);
        var uprightZoom = await phone.EvaluateAsync<double>("() => window.mapServerViewer.map.getZoom()");

        await phone.Page.SetViewportSizeAsync(844, 390); // the phone turned
        await phone.WaitAsync(MapResizedTo, 844);
        await phone.WaitAsync(TallBoxFittedToThisScreen);
        Assert.NotEqual(uprightZoom, await phone.EvaluateAsync<double>("() => window.mapServerViewer.map.getZoom()"), 2);

        // The person drags the map: a later change of size leaves it where they put it.
        var box = (await phone.Page.Locator(".maplibregl-canvas").BoundingBoxAsync())!;
        await phone.Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await phone.Page.Mouse.DownAsync();
        await phone.Page.Mouse.MoveAsync(box.X + box.Width / 2 - 120, box.Y + box.Height / 2 - 60, new() { Steps = 8 });
        await phone.Page.Mouse.UpAsync();
        await phone.WaitAsync("() => !window.mapServerViewer.map.isMoving()");
        var dragged = await phone.EvaluateAsync<double[]>("() => { const c = window.mapServerViewer.map.getCenter(); return [c.lng, c.lat, window.mapServerViewer.map.getZoom()]; }");
        await phone.Page.SetViewportSizeAsync(390, 844);
        await phone.WaitAsync(MapResizedTo, 390);
        await phone.WaitAsync("() => !window.mapServerViewer.map.isMoving()");
        var after = await phone.EvaluateAsync<double[]>("() => { const c = window.mapServerViewer.map.getCenter(); return [c.lng, c.lat, window.mapServerViewer.map.getZoom()]; }");
        Assert.Equal(dragged[0], after[0], 3);
        Assert.Equal(dragged[1], after[1], 3);
        Assert.Equal(dragged[2], after[2], 3);
    }

    [Fact]
    public async Task Layers_and_markers_an_agent_adds_render_with_escaped_popups_and_local_toggles()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);

        await ParisScene.PlaceAsync(agent, sessionId, Cancel);
        var version = await agent.SetViewAsync(sessionId, [2.335, 48.857], 12.6, 0, Cancel);
        await viewer.WaitForVersionAsync(version);
        await viewer.WaitAsync("() => !window.mapServerViewer.map.isMoving() && window.mapServerViewer.map.areTilesLoaded()");
        // The panel's swatch is the colour the parks are painted with (#16a34a), not a default legend colour.
        await Assertions.Expect(viewer.Page.Locator("label[for='layer-parks'] .swatch")).ToHaveCSSAsync("background-color", "rgb(22, 163, 74)");

        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['parks-fill'] }).length > 0");
        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['metro-line'] }).length > 0");
        // The GeoJSON reached the browser by its data URL (through the viewer's origin), not inside the state.
        Assert.Contains($"/sessions/{sessionId}/data/", await viewer.EvaluateAsync<string>("() => window.mapServerViewer.state.layers.parks.source.data"), StringComparison.Ordinal);
        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['mapserver-annotation-fill'] }).length > 0");
        Assert.Equal("blank", await viewer.EvaluateAsync<string>("() => window.mapServerViewer.map.getContainer().dataset.basemap"));
        await viewer.WaitAsync("""
            () => { const ids = window.mapServerViewer.map.queryRenderedFeatures({ layers: ['mapserver-annotation-marker'] }).map(f => f.properties.id);
                    return ids.includes('eiffel') && ids.includes('louvre'); }
            """);
        await Assertions.Expect(viewer.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Parks" })).ToBeCheckedAsync();
        await Assertions.Expect(viewer.Page.GetByRole(AriaRole.Button, new() { Name = "Show marker Eiffel Tower on the map" })).ToBeVisibleAsync();
        await viewer.ScreenshotAsync("viewer-layers-and-markers");

        // The popup renders the agent's Markdown, and shows HTML in it as text: never run or rendered.
        await viewer.Page.GetByRole(AriaRole.Button, new() { Name = "Show marker Eiffel Tower on the map" }).ClickAsync();
        var popup = viewer.Page.Locator(".maplibregl-popup .msv-popup");
        await Assertions.Expect(popup).ToContainTextAsync("<b>1889</b>");
        Assert.Equal(0, await popup.Locator("b").CountAsync());
        await Assertions.Expect(popup.Locator("strong", new() { HasText = "330 m" })).ToBeVisibleAsync();
        await Assertions.Expect(popup.Locator("li em", new() { HasText = "Iron" })).ToBeVisibleAsync();
        Assert.Equal("https://www.toureiffel.paris/", await popup.Locator("li a").GetAttributeAsync("href") is { } href ? new Uri(href).ToString() : null);

        // A person's toggle hides the layer on their map only.
        await viewer.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Parks" }).UncheckAsync();
        await viewer.WaitAsync("() => window.mapServerViewer.map.getLayoutProperty('parks-fill', 'visibility') === 'none'");
        var state = await agent.CallAsync("get_map_state", new() { ["session_id"] = sessionId }, Cancel);
        Assert.True(state.GetProperty("layers").GetProperty("parks").GetProperty("visible").GetBoolean());
    }

    [Fact]
    public async Task Legend_lists_the_classes_of_a_data_driven_colour_in_the_panel()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await ParisScene.AddParksAsync(agent, sessionId, Cancel);
        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);

        await agent.CallAsync("set_layer_paint", new()
        {
            ["session_id"] = sessionId, ["layer_id"] = "parks", ["style_layer_id"] = "parks-fill", ["property"] = "fill-color",
            ["value"] = JsonSerializer.SerializeToElement(new object[] { "match", new[] { "get", "name" }, "Champ de Mars", "#dc2626", new[] { "Jardin des Tuileries", "Jardin du Luxembourg" }, "#2563eb", "#94a3b8" }),
        }, Cancel);

        var legend = viewer.Page.GetByTestId("legend-parks");
        await Assertions.Expect(legend.Locator("li")).ToHaveCountAsync(4); // the property, then three classes
        await Assertions.Expect(legend.Locator("li").Nth(0)).ToHaveTextAsync("name");
        await Assertions.Expect(legend.Locator("li").Nth(1)).ToHaveTextAsync("Champ de Mars");
        await Assertions.Expect(legend.Locator("li").Nth(1).Locator(".swatch")).ToHaveCSSAsync("background-color", "rgb(220, 38, 38)");
        await Assertions.Expect(legend.Locator("li").Nth(2)).ToHaveTextAsync("Jardin des Tuileries, Jardin du Luxembourg");
        await Assertions.Expect(legend.Locator("li").Nth(3)).ToHaveTextAsync("Other");
        await Assertions.Expect(legend).ToHaveAttributeAsync("aria-label", "Colours by name");
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task Style_layer_by_property_classes_appear_in_the_legend_of_the_viewer()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await ParisScene.AddParksAsync(agent, sessionId, Cancel);
        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);

        var styled = await agent.CallAsync("style_layer_by_property", new() { ["session_id"] = sessionId, ["layer_id"] = "parks", ["property"] = "name", ["classes"] = 2 }, Cancel);

        var classes = styled.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("label").GetString()!).ToList();
        Assert.Equal(3, classes.Count); // two names and Other
        var legend = viewer.Page.GetByTestId("legend-parks");
        await Assertions.Expect(legend.Locator("li")).ToHaveTextAsync(["name", .. classes]);
        await Assertions.Expect(legend.Locator("li").Nth(1).Locator(".swatch")).ToHaveCSSAsync("background-color", "rgb(230, 159, 0)"); // okabe_ito's first
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task Style_change_updates_the_layer_in_place_without_re_adding_its_source()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);
        var added = await ParisScene.AddParksAsync(agent, sessionId, Cancel);
        await viewer.WaitForVersionAsync(added);
        await viewer.EvaluateAsync<bool>("() => { window.parksSource = window.mapServerViewer.map.getSource('parks'); return true; }");

        var painted = await agent.ApplyAsync(sessionId, new SetLayerPaint("parks", "fill-color", System.Text.Json.JsonSerializer.SerializeToElement("#9333ea"), "parks-fill"), Cancel);
        var faded = await agent.ApplyAsync(sessionId, new SetLayerOpacity("parks", 0.5), Cancel);

        await viewer.WaitForVersionAsync(faded);
        Assert.True(painted < faded);
        Assert.Equal("#9333ea", await viewer.EvaluateAsync<string>("() => window.mapServerViewer.map.getPaintProperty('parks-fill', 'fill-color')"));
        Assert.Equal(0.5 * 0.45, await viewer.EvaluateAsync<double>("() => window.mapServerViewer.map.getPaintProperty('parks-fill', 'fill-opacity')"), 6);
        Assert.True(await viewer.EvaluateAsync<bool>("() => window.mapServerViewer.map.getSource('parks') === window.parksSource"));
    }

    [Fact]
    public async Task Viewer_catches_up_on_changes_made_while_its_connection_was_cut()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var proxy = new TcpProxy(ViewerAddress);
        await using var viewer = await ViewerPage.OpenAsync(browser, proxy.Address, sessionId);
        var before = await agent.SetViewAsync(sessionId, [0, 20], 3, 0, Cancel);
        await viewer.WaitForVersionAsync(before);

        proxy.Sever();
        await viewer.WaitAsync("() => window.mapServerViewer.status === 'reconnecting'");
        await agent.SetViewAsync(sessionId, [10, 50], 6, 0, Cancel);
        await agent.AddMarkerAsync(sessionId, "while-cut", 10, 50, "Placed while cut", "#0ea5e9", "made during the outage", Cancel);
        var last = await agent.SetViewAsync(sessionId, null, null, 30, Cancel);
        await Task.Delay(1500, Cancel);
        Assert.True(await viewer.EvaluateAsync<long>("() => window.mapServerViewer.state.version") < last, "the connection was not really cut: a change arrived");
        await viewer.ScreenshotAsync("viewer-while-cut");

        proxy.Restore();

        await viewer.WaitAsync(
            "v => { const m = window.mapServerViewer; return m.status === 'connected' && m.state.version === v && !m.map.isMoving() && Math.abs(m.map.getZoom() - 6) < 1e-3 && Math.abs(m.map.getBearing() - 30) < 1e-3; }",
            last,
            TimeSpan.FromSeconds(30));
        await viewer.WaitAsync("() => window.mapServerViewer.map.queryRenderedFeatures({ layers: ['mapserver-annotation-marker'] }).some(f => f.properties.id === 'while-cut')");

        // The panel runs on the same stream: it shows the caught-up state at once.
        await viewer.ExpectCaughtUpWithoutErrorsAsync(last, "Placed while cut");
        await viewer.ScreenshotAsync("viewer-after-reconnect");
    }

    [Fact]
    public async Task A_sleeping_tab_catches_up_when_it_wakes_without_errors()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);

        // The browser freezes the tab (as it does to background tabs): no script runs until it is resumed.
        var devtools = await viewer.Page.Context.NewCDPSessionAsync(viewer.Page);
        await devtools.SendAsync("Page.setWebLifecycleState", new Dictionary<string, object> { ["state"] = "frozen" });
        await agent.AddMarkerAsync(sessionId, "while-asleep", 4.9, 52.37, "Placed while asleep", "#0ea5e9", "made while the tab slept", Cancel);
        var last = await agent.SetViewAsync(sessionId, [4.9, 52.37], 9, 0, Cancel);
        await Task.Delay(1000, Cancel);
        await devtools.SendAsync("Page.setWebLifecycleState", new Dictionary<string, object> { ["state"] = "active" });

        await viewer.ExpectCaughtUpWithoutErrorsAsync(last, "Placed while asleep");
        await viewer.WaitAsync("() => !window.mapServerViewer.map.isMoving() && Math.abs(window.mapServerViewer.map.getZoom() - 9) < 1e-3");
    }

    [Fact]
    public async Task Viewer_rides_out_an_api_restart_without_errors_and_catches_up()
    {
        var browser = chromium.Browser;
        string sessionId;
        await using (var agent = await MapAgent.ConnectAsync(app, Cancel))
        {
            sessionId = await agent.CreateSessionAsync(Cancel);
            await agent.AddMarkerAsync(sessionId, "before", 2.35, 48.85, "Before the restart", "#16a34a", "placed first", Cancel);
        }

        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);
        await Assertions.Expect(viewer.Page.GetByRole(AriaRole.Button, new() { Name = "Show marker Before the restart on the map" })).ToBeVisibleAsync();

        // The api process dies (SIGKILL, a crash) and is started again (the dashboard's Start command); the state is in Redis.
        var sawOutage = viewer.WaitAsync("() => window.mapServerViewer.status === 'reconnecting'", deadline: TimeSpan.FromSeconds(60));
        Assert.True(app.App.ResourceNotifications.TryGetCurrentState("mcp-map-server", out var running));
        var processId = Convert.ToInt32(running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
        using var restarted = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        restarted.CancelAfter(TimeSpan.FromMinutes(2));
        Signals.KillTree(processId); // `dotnet run` and the api under it
        await app.App.ResourceNotifications.WaitForResourceAsync("mcp-map-server", [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart], restarted.Token);
        await sawOutage;
        var start = await app.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync("mcp-map-server", KnownResourceCommands.StartCommand, Cancel);
        Assert.True(start.Success, start.Message);
        await app.App.ResourceNotifications.WaitForResourceAsync("mcp-map-server", e => e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == HealthStatus.Healthy, restarted.Token);

        await using var after = await MapAgent.ConnectAsync(app, Cancel);
        var last = await after.AddMarkerAsync(sessionId, "after", 13.4, 52.5, "After the restart", "#0ea5e9", "placed after", Cancel);
        await viewer.ExpectCaughtUpWithoutErrorsAsync(last, "After the restart");
    }

    [Fact]
    public async Task Get_viewport_tells_the_agent_what_the_person_is_looking_at()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        var before = await agent.CallAsync("get_viewport", new() { ["session_id"] = sessionId }, Cancel);
        Assert.False(before.GetProperty("reported").GetBoolean());
        Assert.Contains("No viewer has reported", before.GetProperty("message").GetString());
        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);

        await viewer.EvaluateAsync<bool>("() => { window.mapServerViewer.map.jumpTo({ center: [13.405, 52.52], zoom: 9 }); return true; }");

        var deadline = DateTime.UtcNow + ViewerPage.Deadline;
        while (true)
        {
            var seen = await agent.CallAsync("get_viewport", new() { ["session_id"] = sessionId }, Cancel);
            if (seen.GetProperty("reported").GetBoolean() && Math.Abs(seen.GetProperty("zoom").GetDouble() - 9) < 1e-6)
            {
                var center = seen.GetProperty("center");
                Assert.Equal(13.405, center[0].GetDouble(), 3);
                Assert.Equal(52.52, center[1].GetDouble(), 3);
                var bounds = seen.GetProperty("bounds");
                Assert.True(bounds[0].GetDouble() < 13.405 && 13.405 < bounds[2].GetDouble());
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the viewer did not report its viewport in time");
            await Task.Delay(200, Cancel);
        }
    }

    [Fact]
    public async Task Keyboard_alone_reaches_the_map_the_layer_toggles_and_the_markers()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await ParisScene.PlaceAsync(agent, sessionId, Cancel);
        var version = await agent.SetViewAsync(sessionId, [2.335, 48.857], 12.6, 0, Cancel);
        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId);
        await viewer.WaitForVersionAsync(version);

        // Tab from the top of the page: the map (MapLibre's keyboard panning and zooming), its zoom buttons, then the panel.
        var reached = new List<string>();
        for (var i = 0; i < 30 && !reached.Contains("Show marker Louvre on the map"); i++)
        {
            await viewer.Page.Keyboard.PressAsync("Tab");
            reached.Add(await viewer.EvaluateAsync<string>("() => { const e = document.activeElement; return e.getAttribute('aria-label') || e.labels?.[0]?.textContent?.trim() || e.textContent.trim() || e.tagName; }"));
        }
        Assert.Contains("Map", reached); // MapLibre's canvas
        Assert.Contains("Zoom in", reached);
        Assert.Contains("Copy the sentence for your agent", reached);
        Assert.Contains("Parks", reached);
        Assert.Contains("Show marker Eiffel Tower on the map", reached);

        // Enter on a marker opens its popup; Space on a layer's checkbox hides it on this screen.
        await viewer.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(viewer.Page.Locator(".maplibregl-popup .msv-popup")).ToContainTextAsync("The world's most-visited museum.");
        await viewer.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Parks" }).FocusAsync();
        await viewer.Page.Keyboard.PressAsync("Space");
        await viewer.WaitAsync("() => window.mapServerViewer.map.getLayoutProperty('parks-fill', 'visibility') === 'none'");
        await Assertions.Expect(viewer.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Parks" })).ToBeFocusedAsync(); // focus survives the panel's update
        await Assertions.Expect(viewer.Page.GetByRole(AriaRole.Status)).ToContainTextAsync("Live");
        viewer.AssertNoErrors();
    }

    [Fact]
    public async Task Viewer_fits_a_dark_phone_screen_with_map_and_panel()
    {
        var browser = chromium.Browser;
        await using var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        await ParisScene.PlaceAsync(agent, sessionId, Cancel);
        await agent.SetViewAsync(sessionId, [2.335, 48.857], 11.5, 0, Cancel);

        await using var viewer = await ViewerPage.OpenAsync(browser, ViewerAddress, sessionId, 390, 844, ColorScheme.Dark);

        var map = await viewer.Page.Locator(".map-view").BoundingBoxAsync();
        var panel = await viewer.Page.Locator(".side-panel").BoundingBoxAsync();
        Assert.NotNull(map);
        Assert.NotNull(panel);
        Assert.True(map.Width >= 389 && panel.Width >= 389, "map and panel take the phone's full width");
        Assert.True(panel.Y >= map.Y + map.Height - 1, "the panel sits below the map");
        Assert.Equal(390, await viewer.EvaluateAsync<int>("() => document.documentElement.scrollWidth"));
        Assert.Equal("rgb(17, 24, 39)", await viewer.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.side-panel')).backgroundColor"));
        await viewer.ScreenshotAsync("viewer-phone-dark");
    }
}
