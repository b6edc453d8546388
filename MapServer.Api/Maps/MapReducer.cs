using MapServer.Api.Maps.Operations;

namespace MapServer.Api.Maps;

/// <summary>
/// The one place where map state changes: (state, operation) -> next state, version + 1. How each operation changes
/// the map is the operation's own (<see cref="MapOperation"/>, a file each in Maps/Operations).
/// Pure: no I/O, no clock. An invalid operation throws <see cref="MapOperationException"/> and changes nothing.
/// </summary>
public static class MapReducer
{
    public static MapState Apply(MapState state, MapOperation operation)
    {
        if (operation.IfVersion is { } expected && expected != state.Version)
        {
            throw new MapVersionConflictException(operation.Name, expected, state.Version);
        }

        return operation.ApplyTo(state) with { Version = state.Version + 1 };
    }
}
