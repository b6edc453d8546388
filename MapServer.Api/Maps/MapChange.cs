namespace MapServer.Api.Maps;

/// <summary>A change that was applied: the state after it and the event that announced it.</summary>
public sealed record MapChange(MapState State, MapEvent Event);
