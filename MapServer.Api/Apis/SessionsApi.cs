using MapServer.Api.Security;
using MapServer.Api.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MapServer.Api.Apis;

/// <summary>Sessions for the viewer: create one, check one exists.</summary>
public static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/sessions");
        sessions.MapPost("/", CreateSession).WithName("CreateMapSession").RequireAuthorization(SecuritySetup.PrincipalPolicy);
        sessions.MapGet("/{sessionId}", GetSession).WithName("GetMapSession");
        return app;
    }

    public static async Task<Results<Created<SessionInfo>, JsonHttpResult<ApiError>>> CreateSession(HttpContext http, SessionAccess access, CancellationToken cancellationToken)
    {
        try
        {
            var id = await access.CreateAsync(cancellationToken);
            return TypedResults.Created($"/sessions/{id}", new SessionInfo(id, 0));
        }
        catch (MapLimitException ex)
        {
            if (ex.RetryAfterSeconds is { } seconds)
            {
                RateLimitServices.SetRetryAfter(http.Response, seconds);
            }

            return TypedResults.Json(new ApiError(ex.Message, "Reuse a session you have."), statusCode: StatusCodes.Status429TooManyRequests);
        }
    }

    /// <summary>Whether a session exists, by its id or a read-only view token (answered under the name it was asked by).</summary>
    public static async Task<Results<Ok<SessionInfo>, NotFound<ApiError>>> GetSession(
        string sessionId, IMapSessionStore store, ViewLinks viewLinks, CancellationToken cancellationToken)
    {
        var resolved = await viewLinks.ResolveAsync(sessionId, cancellationToken);
        var state = resolved is { } session ? await store.GetAsync(session.SessionId, cancellationToken) : null;
        return state is null
            ? TypedResults.NotFound(ApiError.UnknownSession(sessionId))
            : TypedResults.Ok(new SessionInfo(sessionId, state.Version));
    }
}
