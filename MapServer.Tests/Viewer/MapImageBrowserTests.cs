using System.Text.Json;
using MapServer.Tests.Infrastructure;

namespace MapServer.Tests.Viewer;

/// <summary>
/// get_map_image through the AppHost: the api asks the map renderer (MapServer.Renderer: the viewer's renderer on its
/// render page in headless Chromium) for a PNG of the map as a viewer shows it.
/// </summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class MapImageBrowserTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly double[][][] FranceSquare = [[[-5.0, 43.0], [10.0, 43.0], [10.0, 54.0], [-5.0, 54.0], [-5.0, 43.0]]];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(MapAgent Agent, string SessionId)> RedSquareAsync()
    {
        _ = chromium.Browser; // the renderer needs Debian's Chromium too: skip (fail in CI) without it
        await app.App.ResourceNotifications.WaitForResourceHealthyAsync("map-renderer", Cancel);
        var agent = await MapAgent.ConnectAsync(app, Cancel);
        var sessionId = await agent.CreateSessionAsync(Cancel);
        var square = new { type = "FeatureCollection", features = new[] { new { type = "Feature", properties = new Dictionary<string, object>(), geometry = new { type = "Polygon", coordinates = FranceSquare } } } };
        await agent.AddGeoJsonLayerAsync(sessionId, "red-zone", "Red zone", "#ff0000", square,
            [new { id = "red-zone-fill", type = "fill", source = "red-zone", paint = new Dictionary<string, object> { ["fill-color"] = "#ff0000", ["fill-opacity"] = 1 } }], Cancel);
        await agent.SetViewAsync(sessionId, [2.35, 46.5], 4, 0, Cancel);
        // The offline basemap alone: online tile hosts are not reachable here, and an image waits a while for its tiles.
        await agent.SetBasemapAsync(sessionId, "blank", Cancel);
        return (agent, sessionId);
    }

    [Fact]
    public async Task Map_image_is_a_png_of_the_requested_size_showing_the_layer_the_agent_added()
    {
        var (agent, sessionId) = await RedSquareAsync();
        await using var _ = agent;

        var result = await agent.ResultAsync("get_map_image", new Dictionary<string, object?> { ["session_id"] = sessionId, ["width"] = 640, ["height"] = 400 }, Cancel);

        var image = MapImage.From(result, "map-image");
        Assert.Equal((640, 400), (image.Width, image.Height));
        Assert.True(image.RedShare > 0.2, $"only {image.RedShare:P0} of the image is the red layer");
        Assert.True(image.Share((r, g, b) => b > r + 30) > 0.05, "no sea on the offline basemap around the layer"); // the basemap is drawn too
        Assert.Contains("640 x 400", string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text)), StringComparison.Ordinal);

        // Asked again for the unchanged map: the same image (from the cache).
        var again = await agent.ResultAsync("get_map_image", new Dictionary<string, object?> { ["session_id"] = sessionId, ["width"] = 640, ["height"] = 400 }, Cancel);
        Assert.Equal(
            Assert.Single(result.Content.OfType<ModelContextProtocol.Protocol.ImageContentBlock>()).Data.ToArray(),
            Assert.Single(again.Content.OfType<ModelContextProtocol.Protocol.ImageContentBlock>()).Data.ToArray());
    }

    [Fact]
    public async Task Map_image_looks_where_it_is_told_a_box_a_camera_or_what_the_user_last_saw()
    {
        var (agent, sessionId) = await RedSquareAsync();
        await using var _ = agent;

        var shot = 0;
        async Task<MapImage> ImageAsync(Dictionary<string, object?> arguments)
        {
            arguments["session_id"] = sessionId;
            arguments["width"] = 320;
            arguments["height"] = 240;
            return MapImage.From(await agent.ResultAsync("get_map_image", arguments, Cancel), $"map-image-{++shot}");
        }

        Assert.Equal(0, (await ImageAsync(new() { ["bbox"] = new[] { -170.0, -10, -150, 10 } })).RedShare); // the Pacific
        Assert.True((await ImageAsync(new() { ["bbox"] = new[] { 0.0, 45, 5, 50 } })).RedShare > 0.7); // inside the square (the credits cover the foot)
        Assert.True((await ImageAsync(new() { ["center"] = new[] { 2.0, 47.0 }, ["zoom"] = 7 })).RedShare > 0.7);
        Assert.Equal(0, (await ImageAsync(new() { ["center"] = new[] { 140.0, 35.0 }, ["zoom"] = 6 })).RedShare); // Japan

        var unseen = await RejectedAsync(agent, new() { ["session_id"] = sessionId, ["as_user_sees"] = true });
        Assert.Contains("No viewer has reported", unseen, StringComparison.Ordinal);

        await agent.CallAsync("report_viewport", new() { ["session_id"] = sessionId, ["bounds"] = new[] { 100.0, -40, 150, -10 }, ["zoom"] = 3, ["center"] = new[] { 125.0, -25 } }, Cancel);
        Assert.Equal(0, (await ImageAsync(new() { ["as_user_sees"] = true })).RedShare); // Australia, where the user looks
    }

    [Fact]
    public async Task Bad_image_requests_say_what_to_send()
    {
        var (agent, sessionId) = await RedSquareAsync();
        await using var _ = agent;

        Assert.Contains("between 64 and 1600", await RejectedAsync(agent, new() { ["session_id"] = sessionId, ["width"] = 5000 }), StringComparison.Ordinal);
        Assert.Contains("either bbox or center/zoom", await RejectedAsync(agent, new() { ["session_id"] = sessionId, ["bbox"] = new[] { 0.0, 45, 5, 50 }, ["zoom"] = 3 }), StringComparison.Ordinal);
        Assert.Contains("south below north", await RejectedAsync(agent, new() { ["session_id"] = sessionId, ["bbox"] = new[] { 0.0, 50, 5, 45 } }), StringComparison.Ordinal);
        Assert.Contains("does not exist", await RejectedAsync(agent, new() { ["session_id"] = "AAAAAAAAAAAAAAAAAAAAAA" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_images_at_once_all_arrive_within_the_renderers_bounds()
    {
        var (agent, sessionId) = await RedSquareAsync();
        await using var _ = agent;

        // Eight different images at once: the api asks at most 4 of the renderer at a time, which draws 2 at a time, so
        // half of them queue at the api. (Twelve made the last ones wait two rounds, inside the api's 25 s per image that
        // counts the wait too: over 25 s once in CI while other tests loaded the 2 cores.)
        var images = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            MapImage.From(await agent.ResultAsync("get_map_image", new Dictionary<string, object?> { ["session_id"] = sessionId, ["width"] = 200 + i, ["height"] = 150 }, Cancel))));

        Assert.All(images.Select((image, i) => (image, i)), pair => Assert.Equal((200 + pair.i, 150), (pair.image.Width, pair.image.Height)));
        Assert.All(images, image => Assert.True(image.RedShare > 0.1));
    }

    private static async Task<string> RejectedAsync(MapAgent agent, Dictionary<string, object?> arguments)
    {
        var result = await agent.RawResultAsync("get_map_image", arguments, Cancel);
        Assert.True(result.IsError, "get_map_image should have refused");
        return string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text));
    }

}
