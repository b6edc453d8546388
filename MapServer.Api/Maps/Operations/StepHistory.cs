using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

/// <summary>
/// Undoes or redoes the change at <paramref name="ChangeVersion"/> by applying one of its recorded merge patches
/// to the current state: its undo patch (new -> old) or its forward patch (old -> new). The version still moves forward.
/// </summary>
/// <remarks>Built from the history as it was at <see cref="MapOperation.IfVersion"/>: on any other version it would revert the wrong change.</remarks>
public sealed record StepHistory(HistoryStep Step, long ChangeVersion, string ChangeSummary, JsonElement Patch) : MapOperation
{
    public override string Name => Step == HistoryStep.Undo ? "undo" : "redo";

    public override long? TargetVersion => ChangeVersion;

    public override string Describe() => $"{Name} of v{ChangeVersion} ({ChangeSummary})";

    internal override MapState ApplyTo(MapState state) => Validated(Patched(state));

    /// <summary>The state with the recorded merge patch applied; the version is the reducer's business, not the patch's.</summary>
    private MapState Patched(MapState state)
    {
        if (Patch.ValueKind != JsonValueKind.Object)
        {
            throw new MapOperationException("the recorded change has no patch to apply; it cannot be undone or redone.");
        }

        var target = JsonSerializer.SerializeToNode(state, MapJsonContext.Default.MapState)!.AsObject();
        var changes = JsonSerializer.Deserialize(Patch, MapJsonContext.Default.JsonObject)!;
        changes.Remove("version");
        JsonMergePatch.Apply(target, changes);
        try
        {
            return target.Deserialize(MapJsonContext.Default.MapState) ?? throw new MapOperationException("the patched map state is empty.");
        }
        catch (JsonException ex)
        {
            throw new MapOperationException($"the recorded change no longer fits the current map ({ex.Message}).");
        }
    }

    /// <summary>A restored map meets the rules a change must meet; its layer order names each layer once.</summary>
    private static MapState Validated(MapState restored)
    {
        MapValidation.Center(restored.Center);
        MapValidation.Zoom(restored.Zoom);
        MapValidation.Pitch(restored.Pitch);
        MapValidation.Bearing(restored.Bearing);
        MapValidation.Basemap(restored.Basemap);
        foreach (var (id, layer) in restored.Layers)
        {
            MapValidation.Id(id, "layer id");
            MapValidation.Source(layer.Source);
        }

        foreach (var (id, annotation) in restored.Annotations)
        {
            PutAnnotation.Valid(id, annotation);
        }

        var order = restored.LayerOrder.Where(restored.Layers.ContainsKey).Distinct().ToList();
        order.AddRange(restored.Layers.Keys.Where(id => !order.Contains(id)));
        return restored with { LayerOrder = order };
    }
}
