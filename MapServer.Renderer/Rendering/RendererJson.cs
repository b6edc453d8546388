using System.Text.Json;

namespace MapServer.Renderer.Rendering;

internal static class RendererJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
