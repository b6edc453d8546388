namespace MapServer.Api.Maps;

/// <summary>
/// One feature property across a layer: its JSON types, how many features have a value (and how many lack one or hold
/// null), how many distinct values (at least that many when <see cref="DistinctCapped"/>), the numeric range and mean,
/// and the most frequent values (strings as they are, other values as JSON).
/// </summary>
public sealed record PropertyProfile(
    string Name,
    IReadOnlyList<string> Types,
    int Values,
    int Missing,
    int Distinct,
    bool DistinctCapped,
    double? Min,
    double? Max,
    double? Mean,
    IReadOnlyList<ValueCount> TopValues);
