using MapServer.Api.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MapServer.Api.Apis;

/// <summary>Sessions for the viewer: create one, check one exists.</summary>
public static class SessionsApi
{
    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/sessions");
        sessions.MapPost("/", CreateSession).WithName("CreateMapSession");
        sessions.MapGet("/{sessionId}", GetSession).WithName("GetMapSession");
        return app;
    }

    public static async Task<Created<SessionInfo>> CreateSession(IMapSessionStore store, CancellationToken cancellationToken)
    {
        var id = await store.CreateAsync(cancellationToken);
        return TypedResults.Created($"/sessions/{id}", new SessionInfo(id, 0));
    }

    public static async Task<Results<Ok<SessionInfo>, NotFound<ApiError>>> GetSession(string sessionId, IMapSessionStore store, CancellationToken cancellationToken)
    {
        var state = MapSessionId.IsWellFormed(sessionId) ? await store.GetAsync(sessionId, cancellationToken) : null;
        return state is null
            ? TypedResults.NotFound(ApiError.UnknownSession(sessionId))
            : TypedResults.Ok(new SessionInfo(sessionId, state.Version));
    }
}

public sealed record SessionInfo(string SessionId, long Version);
