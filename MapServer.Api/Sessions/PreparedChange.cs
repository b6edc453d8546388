using MapServer.Api.Events;
using MapServer.Api.Maps;

namespace MapServer.Api.Sessions;

/// <summary>A change computed but not yet stored: the change, the new state's JSON and the event as published.</summary>
public sealed record PreparedChange(MapChange Change, string StateJson, PublishedMapEvent Event);
