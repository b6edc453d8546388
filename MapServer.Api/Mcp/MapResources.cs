using System.ComponentModel;
using MapServer.Api.Sessions;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

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
