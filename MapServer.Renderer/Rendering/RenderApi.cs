using Microsoft.AspNetCore.Http.HttpResults;

namespace MapServer.Renderer.Rendering;

/// <summary><c>POST /render</c>: a session's state in, the PNG the viewer would show out. Only the api calls it (in-cluster).</summary>
public static class RenderApi
{
    public static IEndpointRouteBuilder MapRenderApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/render", RenderAsync).WithName("RenderMapImage").WithSummary("Draws a map state as a PNG.");
        return app;
    }

    public static async Task<Results<FileContentHttpResult, BadRequest<RenderError>, JsonHttpResult<RenderError>>> RenderAsync(
        RenderRequest request, ChromiumPool pool, CancellationToken cancellationToken)
    {
        if (request.Problem() is { } problem)
        {
            return TypedResults.BadRequest(new RenderError(problem));
        }

        try
        {
            return TypedResults.File(await pool.RenderAsync(request, cancellationToken), "image/png");
        }
        catch (RendererUnavailableException ex)
        {
            return TypedResults.Json(new RenderError(ex.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
