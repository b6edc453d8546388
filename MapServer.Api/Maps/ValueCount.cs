namespace MapServer.Api.Maps;

/// <summary>A property value and how many features hold it.</summary>
public sealed record ValueCount(string Value, int Count);
