using MapServer.Api.Maps;

namespace MapServer.Api.Sessions;

/// <summary>
/// The change events still in a session's replay buffer (oldest first), whether they start at its first change,
/// and the version they bring the map to: what undo and redo are planned from.
/// </summary>
public sealed record BufferedChanges(IReadOnlyList<MapEvent> Events, bool Complete, long Version);
