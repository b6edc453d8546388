using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

/// <summary>The layers of one imported file, added together: all of them or none. Their data was stored by the import.</summary>
public sealed record ImportLayers(string FileName, IReadOnlyList<AddLayer> Layers) : MapOperation
{
    public override string Name => "import_file";

    public override string Describe() =>
        $"imported '{FileName}' as layer{(Layers.Count == 1 ? "" : "s")} {string.Join(", ", Layers.Select(l => $"'{l.LayerId}'"))}";

    public override IEnumerable<JsonElement> Sources() => Layers.SelectMany(l => l.Sources());

    internal override MapState ApplyTo(MapState state) => Layers.Count == 0
        ? throw new MapOperationException($"'{FileName}' brought no layers.")
        : Layers.Aggregate(state, (map, layer) => layer.ApplyTo(map));
}
