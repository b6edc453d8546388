namespace MapServer.Api.Importing;

/// <summary>One layer an import added: what the agent and the person importing learn of it, without its data.</summary>
public sealed record ImportedLayer(
    string LayerId,
    string Title,
    int Features,
    IReadOnlyDictionary<string, int> GeometryTypes,
    double[]? Bbox,
    IReadOnlyList<string> Columns);
