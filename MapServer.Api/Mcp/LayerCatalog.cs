using System.ComponentModel;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

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

[McpServerPromptType]
public sealed class CatalogPrompts(LayerCatalog catalog)
{
    [McpServerPrompt(Name = "layer_catalog", Title = "Available data layers")]
    [Description("The data layers this server's operator offers, with ready-to-use add_layer arguments.")]
    public string LayerCatalogPrompt() =>
        catalog.Markdown.Length > 0 ? catalog.Markdown : "This server has no layer catalog; add_layer accepts any MapLibre source.";
}

[McpServerResourceType]
public sealed class MapResources(LayerCatalog catalog, MapSessionGateway sessions)
{
    [McpServerResource(UriTemplate = "map://catalog", Name = "layer_catalog", Title = "Layer catalog", MimeType = "text/markdown")]
    [Description("The operator's catalog of data layers (Markdown).")]
    public string Catalog() => catalog.Markdown;

    [McpServerResource(UriTemplate = "map://sessions/{session_id}", Name = "map_session", Title = "Map session state", MimeType = "application/json")]
    [Description("The full state of a map session as JSON.")]
    public async Task<string> Session(string session_id, CancellationToken cancellationToken) =>
        MapChanges.Serialize(await sessions.GetAsync(session_id, cancellationToken));
}
