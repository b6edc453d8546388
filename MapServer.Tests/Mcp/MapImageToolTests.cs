namespace MapServer.Tests.Mcp;

/// <summary>get_map_image on an api with no map renderer configured (MapServer:RendererUrl empty).</summary>
[Trait("Tier", "App")]
public sealed class MapImageToolTests : McpToolTestBase
{
    [Fact]
    public async Task Without_a_renderer_get_map_image_says_so_and_what_to_do_instead()
    {
        var error = await RejectedAsync("get_map_image", new { session_id = Session });

        Assert.Contains("No map renderer is configured", error, StringComparison.Ordinal);
        Assert.Contains("MapServer:RendererUrl", error, StringComparison.Ordinal);
        Assert.Contains("viewer URL", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_are_refused_before_any_renderer_is_asked()
    {
        Assert.Contains("between 64 and 1600", await RejectedAsync("get_map_image", new { session_id = Session, width = 10 }), StringComparison.Ordinal);
        Assert.Contains("as_user_sees takes the user's view", await RejectedAsync("get_map_image", new { session_id = Session, as_user_sees = true, zoom = 3 }), StringComparison.Ordinal);
    }
}
