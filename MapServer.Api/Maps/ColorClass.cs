namespace MapServer.Api.Maps;

/// <summary>One legend class: the values it covers, as a person reads them, and its colour.</summary>
public sealed record ColorClass(string Label, string Color);
