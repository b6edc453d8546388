using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>
/// What every client sees of the tools, beyond their attributes, in one place: add_layer's description carries the
/// server's layer catalog (many clients never read prompts), each schema declares the session-id header and the original
/// server's argument names, and is rewritten to the portable subset strict clients accept.
/// </summary>
/// <remarks>Runs for every stateless request; each step is done once per tool and then only assigns or looks up.</remarks>
public sealed class ToolDefinitions(LayerCatalog catalog) : IPostConfigureOptions<McpServerOptions>
{
    public void PostConfigure(string? name, McpServerOptions options)
    {
        foreach (var tool in options.ToolCollection ?? [])
        {
            if (tool.ProtocolTool.Name == "add_layer")
            {
                tool.ProtocolTool.Description = catalog.AddLayerDescription;
            }

            SessionIdHeader.Annotate(tool.ProtocolTool);
            OriginalServerArguments.Declare(tool.ProtocolTool);
            PortableToolSchemas.Apply(tool.ProtocolTool);
        }
    }
}
