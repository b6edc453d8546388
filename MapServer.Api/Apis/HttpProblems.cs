using MapServer.Api.Security;
using MapServer.Api.Sessions;

namespace MapServer.Api.Apis;

/// <summary>HTTP's adapter for <see cref="MapProblem"/>: the status each kind is answered with, and its Retry-After.</summary>
public static class HttpProblems
{
    public static int Status(MapProblemKind kind) => kind switch
    {
        MapProblemKind.NotFound => StatusCodes.Status404NotFound,
        MapProblemKind.Limited => StatusCodes.Status429TooManyRequests,
        MapProblemKind.StorageUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Sets the status and, when waiting helps, Retry-After on <paramref name="response"/>; the body is the endpoint's own.</summary>
    public static void Apply(HttpResponse response, MapProblem problem)
    {
        response.StatusCode = Status(problem.Kind);
        if (problem.RetryAfterSeconds is { } seconds)
        {
            RateLimitServices.SetRetryAfter(response, seconds);
        }
    }
}
