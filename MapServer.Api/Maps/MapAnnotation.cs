using System.Text.Json;

namespace MapServer.Api.Maps;

/// <summary>A marker, line, polygon or circle the agent placed, with a caller-chosen id.</summary>
public sealed record MapAnnotation
{
    public required AnnotationKind Kind { get; init; }

    /// <summary>A GeoJSON geometry: Point for markers and circles, LineString, Polygon.</summary>
    public required JsonElement Geometry { get; init; }

    public string? Label { get; init; }

    public string Color { get; init; } = "#e11d48";

    /// <summary>Popup text (Markdown) shown when the annotation is clicked.</summary>
    public string? Popup { get; init; }

    /// <summary>Radius of a circle in metres.</summary>
    public double? RadiusMeters { get; init; }
}
