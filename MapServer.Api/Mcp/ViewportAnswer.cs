using System.Text.Json;

namespace MapServer.Api.Mcp;

public sealed record ViewportAnswer(
    string SessionId,
    bool Reported,
    string Message,
    double[]? Bounds = null,
    double? Zoom = null,
    double[]? Center = null,
    JsonElement? ClickedFeature = null,
    DateTimeOffset? ReportedAt = null);
