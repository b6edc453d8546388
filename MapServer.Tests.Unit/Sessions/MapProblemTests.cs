using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using StackExchange.Redis;

namespace MapServer.Tests.Unit.Sessions;

/// <summary>The one reading of the map's failures that every transport answers from.</summary>
public sealed class MapProblemTests
{
    [Fact]
    public void The_map_s_failures_become_problems_that_say_what_to_do_and_bugs_do_not()
    {
        var missing = MapProblem.From(new MapSessionNotFoundException("abc"), changesMap: true)!;
        Assert.Equal(MapProblemKind.NotFound, missing.Kind);
        Assert.Contains("create_map_session", missing.Message, StringComparison.Ordinal);

        var refused = MapProblem.From(new MapOperationException("zoom must be between 0 and 22."), changesMap: true)!;
        Assert.Equal((MapProblemKind.Refused, "zoom must be between 0 and 22. Nothing was changed."), (refused.Kind, refused.Message));
        Assert.Equal(MapProblemKind.Refused, MapProblem.From(new MapVersionConflictException("set_map_view", 0, 1), changesMap: true)!.Kind);

        var limited = MapProblem.From(new MapLimitException("Too many changes.", 3), changesMap: true)!;
        Assert.Equal((MapProblemKind.Limited, 3), (limited.Kind, limited.RetryAfterSeconds));

        var down = MapProblem.From(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "down"), changesMap: true)!;
        Assert.Equal(MapProblemKind.StorageUnavailable, down.Kind);
        Assert.Contains("nothing was changed", down.Message, StringComparison.Ordinal);
        Assert.NotNull(down.RetryAfterSeconds);

        var notAnId = MapProblem.From(new MapSessionIdException("session_id 'x' is not a map session id."), changesMap: false)!;
        Assert.Equal((MapProblemKind.Refused, "session_id 'x' is not a map session id."), (notAnId.Kind, notAnId.Message));

        Assert.Null(MapProblem.From(new InvalidOperationException("a bug"), changesMap: true));
    }
}
