namespace MapServer.Api.Maps;

/// <summary>An operation meant for one version of the map met another: someone else's change landed first.</summary>
public sealed class MapVersionConflictException(string operation, long expected, long actual) : MapOperationException(
    $"the map is at version {actual}, not {expected} as {operation} expected (if_version): another change landed first. Read the map again (get_map_state), decide, and resend with if_version {actual}.")
{
    public long Expected { get; } = expected;

    public long Actual { get; } = actual;
}
