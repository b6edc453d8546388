using System.ComponentModel;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

[McpServerPromptType]
public sealed class CatalogPrompts(LayerCatalog catalog)
{
    [McpServerPrompt(Name = "layer_catalog", Title = "Available data layers")]
    [Description("The data layers this server's operator offers, with ready-to-use add_layer arguments.")]
    public string LayerCatalogPrompt() =>
        catalog.Markdown.Length > 0 ? catalog.Markdown : "This server has no layer catalog; add_layer accepts any MapLibre source.";
}
