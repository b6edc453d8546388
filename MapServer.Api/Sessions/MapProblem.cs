using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Storage;

namespace MapServer.Api.Sessions;

/// <summary>
/// A failure of a map request as every transport answers it: its kind, what the caller is told (the cause and what to do
/// instead), and when a retry may succeed. The map's code throws its own exceptions; <see cref="From"/> is the one place
/// that reads them, and each transport turns the problem into its answer in one adapter.
/// </summary>
public sealed record MapProblem(MapProblemKind Kind, string Message, int? RetryAfterSeconds = null)
{
    /// <summary>The problem <paramref name="exception"/> stands for, or null when it is not one of the map's (a bug).</summary>
    /// <param name="exception">What the request threw.</param>
    /// <param name="changesMap">Whether the request changes the map (what a storage failure may have left undone).</param>
    public static MapProblem? From(Exception exception, bool changesMap) => exception switch
    {
        MapSessionNotFoundException => new(MapProblemKind.NotFound, exception.Message),
        MapSessionIdException => new(MapProblemKind.Refused, exception.Message),
        MapOperationException => new(MapProblemKind.Refused, $"{exception.Message} Nothing was changed."),
        MapLimitException limit => new(MapProblemKind.Limited, limit.Message, limit.RetryAfterSeconds),
        _ when MapStorageFailure.Is(exception) => new(MapProblemKind.StorageUnavailable, MapStorageFailure.Describe(exception, changesMap), MapStorageFailure.RetryAfterSeconds),
        _ => null,
    };
}
