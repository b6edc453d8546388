using System.Text.Json;

namespace MapServer.Api.Maps;

/// <summary>
/// One applied change as viewers receive it: the new version, what happened, and a JSON merge
/// patch (RFC 7386) from the previous state, so a small change stays small however big the map is.
/// <see cref="Undo"/> is the patch back (new state -> previous state), kept in the replay buffer for undo;
/// <see cref="Target"/> is the version of the change an undo or redo stepped over.
/// </summary>
public sealed record MapEvent(long Version, string Op, string Summary, JsonElement Patch, DateTimeOffset At, JsonElement? Undo = null, long? Target = null);
