namespace MapServer.Api.Maps.Operations;

public sealed record RemoveAnnotation(string AnnotationId) : MapOperation
{
    public override string Name => "remove_annotation";

    public override string Describe() => $"removed annotation '{AnnotationId}'";

    internal override MapState ApplyTo(MapState state) => state.Annotations.ContainsKey(AnnotationId)
        ? state with { Annotations = LayerEdits.Without(state.Annotations, AnnotationId) }
        : throw new MapOperationException($"annotation '{AnnotationId}' does not exist; call get_map_state to see the annotation ids.");
}
