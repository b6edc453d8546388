namespace MapServer.Api.Mcp;

public sealed record LayerSummary(string LayerId, string? Title, string SourceType, bool Visible, double Opacity, string? LegendColor, IReadOnlyList<StyleLayerSummary> StyleLayers);
