using MapServer.Api.Sessions;
using MapServer.Api.Viewports;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MapServer.Api.Apis;

/// <summary><c>POST /sessions/{id}/viewport</c>: the viewer reports what the person is looking at, for the get_viewport tool.</summary>
public static class ViewportApi
{
    public static IEndpointRouteBuilder MapViewportApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sessions/{sessionId}/viewport", ReportViewport)
            .WithName("ReportMapViewport")
            .WithSummary("Stores the viewport a person's viewer shows.")
            .RequireRateLimiting(ViewportServices.RateLimitPolicy);
        return app;
    }

    public static async Task<Results<NoContent, NotFound<ApiError>, BadRequest<ApiError>>> ReportViewport(
        string sessionId,
        ViewportReport report,
        ViewportReporting reporting,
        CancellationToken cancellationToken)
    {
        if (report.Problem() is { } problem)
        {
            return TypedResults.BadRequest(new ApiError($"Invalid viewport: {problem}", "Send {bounds:[w,s,e,n], zoom, center:[lon,lat], clickedFeature?}."));
        }

        return await reporting.StoreAsync(sessionId, report, cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound(ApiError.UnknownSession(sessionId));
    }
}
