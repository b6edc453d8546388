namespace MapServer.Api.Viewports;

/// <summary>A stored report and when it arrived.</summary>
public sealed record StoredViewport(ViewportReport Viewport, DateTimeOffset ReportedAt);
