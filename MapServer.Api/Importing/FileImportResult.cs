namespace MapServer.Api.Importing;

/// <summary>What an import answers: the map's new version, the layers it added, and notes on what was repaired or left out.</summary>
public sealed record FileImportResult(string SessionId, long Version, string Format, IReadOnlyList<ImportedLayer> Layers, IReadOnlyList<string> Warnings, string Summary);
