namespace MapServer.Api.Mcp;

public sealed record StyleLayerSummary(string StyleLayerId, string Type, bool Filtered, IReadOnlyList<string> PaintOverrides);
