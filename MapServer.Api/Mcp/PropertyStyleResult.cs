using MapServer.Api.Maps;

namespace MapServer.Api.Mcp;

/// <summary>style_layer_by_property's answer: the change, the classification used and its classes in legend order.</summary>
public sealed record PropertyStyleResult(string SessionId, long Version, string Summary, string Method, IReadOnlyList<ColorClass> Classes);
