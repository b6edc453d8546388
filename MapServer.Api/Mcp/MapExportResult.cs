using System.Text.Json.Nodes;

namespace MapServer.Api.Mcp;

/// <summary>What export_map returns: the version exported, the annotations and the MapLibre style.</summary>
/// <remarks>JsonObject, not JsonElement: its output schema is {"type":"object"}, which every MCP client accepts (a bare `true` schema fails the TypeScript SDK's validation).</remarks>
public sealed record MapExportResult(long Version, JsonObject Annotations, JsonObject Style);
