using MapServer.Api.Apis;
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
        if (!MapStorageFailure.Is(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        logger.LogWarning("Map storage unavailable for {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        var changes = !HttpMethods.IsGet(httpContext.Request.Method) && !HttpMethods.IsHead(httpContext.Request.Method);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = MapStorageFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await httpContext.Response.WriteAsJsonAsync(
            new ApiError(MapStorageFailure.Describe(exception, changes), "Retry after the Retry-After delay; the viewer reconnects by itself."),
            cancellationToken);
        return true;
    }
}
