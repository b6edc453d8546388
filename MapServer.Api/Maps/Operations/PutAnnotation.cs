namespace MapServer.Api.Maps.Operations;

/// <summary>Adds an annotation (marker, line, polygon or circle), or replaces the one with the same id.</summary>
public sealed record PutAnnotation(string AnnotationId, MapAnnotation Annotation) : MapOperation
{
    /// <summary>The tool that adds this kind.</summary>
    public override string Name => Annotation.Kind switch
    {
        AnnotationKind.Marker => "add_marker",
        AnnotationKind.Line => "add_line",
        AnnotationKind.Polygon => "add_polygon",
        _ => "add_circle",
    };

    public override string Describe() => $"{Annotation.Kind.ToString().ToLowerInvariant()} '{AnnotationId}'";

    internal override MapState ApplyTo(MapState state)
    {
        var (id, annotation) = Valid(AnnotationId, Annotation);
        return state with { Annotations = new(state.Annotations) { [id] = annotation } };
    }

    /// <summary>The annotation as a map holds it (its geometry copied out of the request), or why it cannot be one.</summary>
    internal static (string Id, MapAnnotation Annotation) Valid(string annotationId, MapAnnotation annotation)
    {
        var id = MapValidation.Id(annotationId, "annotation_id");
        GeoJson.Geometry(annotation.Geometry, "geometry");
        var geometryType = annotation.Geometry.GetProperty("type").GetString();
        var expected = annotation.Kind switch
        {
            AnnotationKind.Marker or AnnotationKind.Circle => "Point",
            AnnotationKind.Line => "LineString",
            _ => "Polygon",
        };
        if (geometryType != expected)
        {
            throw new MapOperationException($"a {annotation.Kind.ToString().ToLowerInvariant()} needs a {expected} geometry; got {geometryType}.");
        }

        MapValidation.Color(annotation.Color);
        if (annotation.Kind == AnnotationKind.Circle)
        {
            MapValidation.InRange(annotation.RadiusMeters ?? -1, 1, 20_000_000, "radius_meters", "the circle's radius in metres");
        }

        if (annotation.Label is { Length: > 200 } || annotation.Popup is { Length: > 10_000 })
        {
            throw new MapOperationException("label is limited to 200 characters and popup to 10,000; shorten them.");
        }

        return (id, annotation with { Geometry = annotation.Geometry.Clone() });
    }
}
