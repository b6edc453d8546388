using MapServer.Api.Apis;
using MapServer.Api.Sessions;
using Microsoft.AspNetCore.Diagnostics;

namespace MapServer.Api.Storage;

/// <summary>
/// HTTP endpoints (sessions, events, layer data, viewports) answer a Redis outage with 503, Retry-After and
/// a JSON reason instead of a 500: the outage is the server's state, not a bug, and a retry will work.
/// </summary>
public sealed class MapStorageExceptionHandler(ILogger<MapStorageExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var changes = !HttpMethods.IsGet(httpContext.Request.Method) && !HttpMethods.IsHead(httpContext.Request.Method);
        if (MapProblem.From(exception, changes) is not { Kind: MapProblemKind.StorageUnavailable } problem || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("Map storage unavailable for {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        HttpProblems.Apply(httpContext.Response, problem);
        await httpContext.Response.WriteAsJsonAsync(new ApiError(problem.Message, "Retry after the Retry-After delay; the viewer reconnects by itself."), cancellationToken);
        return true;
    }
}
