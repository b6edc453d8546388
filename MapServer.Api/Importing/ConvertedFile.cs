namespace MapServer.Api.Importing;

/// <summary>A file turned into layers (one per feature table), with notes on what was repaired or left out.</summary>
public sealed record ConvertedFile(string FileName, ImportFormat Format, IReadOnlyList<ConvertedLayer> Layers, IReadOnlyList<string> Warnings);
