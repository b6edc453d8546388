namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// What fuzz cases aim at. <see cref="Sessions"/>: playground sessions any case may change (a layer "a" and a
/// marker "m1" to start with). <see cref="Sentinel"/>: a session only certainly-invalid calls may name.
/// </summary>
/// <param name="ViewTokens">The playground sessions' read-only view tokens.</param>
/// <param name="DataPaths">Layer data URLs (<c>/sessions/{id}/data/{sha256}</c>) that exist.</param>
/// <param name="ExportedStyle">A playground session's export_map style, a valid import_map input.</param>
/// <param name="ExportedAnnotations">Its annotations, likewise.</param>
public sealed record FuzzTargets(
    IReadOnlyList<string> Sessions,
    IReadOnlyList<string> ViewTokens,
    string Sentinel,
    IReadOnlyList<string> DataPaths,
    string ExportedStyle,
    string ExportedAnnotations);
