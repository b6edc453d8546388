using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Mcp;

/// <summary>
/// The operator's Markdown catalog of data layers (MapServer:PromptFile, like the original's
/// --prompt-file): served as a prompt and a resource, and folded into add_layer's description
/// because many clients never read prompts.
/// </summary>
public sealed class LayerCatalog(IOptions<MapServerOptions> options, IHostEnvironment environment)
{
    public string Markdown { get; } = Load(options.Value.PromptFile, environment.ContentRootPath);

    /// <summary>
    /// add_layer's whole description, built once: the options hook that sets it runs for every stateless
    /// request, so it assigns this string and never appends (appending grew the description on every call).
    /// </summary>
    public string AddLayerDescription => _addLayerDescription ??= Markdown.Length > 0
        ? $"{LayerTools.AddLayerDescription}\n\nData layers this server offers:\n{Markdown}"
        : LayerTools.AddLayerDescription;

    private string? _addLayerDescription;

    private static string Load(string path, string contentRoot)
    {
        var fullPath = Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
        return File.Exists(fullPath) ? File.ReadAllText(fullPath) : "";
    }
}
