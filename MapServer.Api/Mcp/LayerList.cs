namespace MapServer.Api.Mcp;

public sealed record LayerList(long Version, IReadOnlyList<LayerSummary> Layers);
