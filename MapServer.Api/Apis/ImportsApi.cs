using MapServer.Api.Importing;
using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MapServer.Api.Apis;

/// <summary>
/// <c>POST /sessions/{id or import token}/imports?name=parks.csv</c>: a file (the raw bytes as the body) becomes layers
/// of the map, which every viewer sees appear. The session id (with its owner's credentials when authentication is on)
/// or an import link's token may import; a read-only view token may not.
/// </summary>
public static class ImportsApi
{
    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/sessions/{sessionId}/imports", ImportFile)
            .WithName("ImportFile")
            .WithSummary("Imports a file (CSV/TSV, GeoJSON, KML/KMZ, GPX, zipped Shapefile, GeoPackage) as layers of the map.")
            .WithMetadata(new DisableRequestSizeLimitAttribute()); // the import streams to disk and stops at MapServer:Imports:MaxFileBytes itself
        return app;
    }

    public static async Task<IResult> ImportFile(
        HttpContext http,
        string sessionId,
        [FromQuery] string? name,
        [FromQuery(Name = "layer_id")] string? layerId,
        [FromQuery] string? title,
        ViewLinks viewLinks,
        SessionAccess access,
        FileImports imports,
        CancellationToken cancellationToken)
    {
        var resolved = await viewLinks.ResolveAsync(sessionId, cancellationToken);
        if (resolved is not { } session)
        {
            return Error(StatusCodes.Status404NotFound, ApiError.UnknownSession(sessionId));
        }

        if (ViewLinks.IsToken(session.Token))
        {
            return Error(StatusCodes.Status403Forbidden, new ApiError(
                "This is a read-only view link: it shows the map but cannot add to it.",
                "Ask the agent for an import link (its get_import_link tool) to drop files onto this map."));
        }

        if (http.Request.ContentLength > imports.Limits.MaxFileBytes)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, Answer(FileConverter.TooLarge(name ?? "the file", imports.Limits.MaxFileBytes)));
        }

        try
        {
            if (session.Token is null)
            {
                await access.CheckAsync(session.SessionId, cancellationToken); // the id itself: its owner only, when authentication is on
            }

            var result = await imports.ImportAsync(session.SessionId, new FileUpload(name ?? "", http.Request.Body, layerId, title), cancellationToken);
            return TypedResults.Created($"/sessions/{sessionId}", result with { SessionId = sessionId });
        }
        catch (ImportException ex)
        {
            if (ex.Problem == ImportProblem.Busy)
            {
                RateLimitServices.SetRetryAfter(http.Response, 2);
            }

            return Error(ex.Problem switch
            {
                ImportProblem.TooLarge => StatusCodes.Status413PayloadTooLarge,
                ImportProblem.UnknownFormat => StatusCodes.Status415UnsupportedMediaType,
                ImportProblem.Busy => StatusCodes.Status429TooManyRequests,
                _ => StatusCodes.Status400BadRequest,
            }, Answer(ex));
        }
        catch (Exception ex) when (MapProblem.From(ex, changesMap: true) is { } problem)
        {
            HttpProblems.Apply(http.Response, problem);
            return TypedResults.Json(problem.Kind switch
            {
                MapProblemKind.NotFound => ApiError.UnknownSession(sessionId),
                MapProblemKind.Refused => new ApiError($"The file cannot be added: {ex.Message} Nothing was imported.", "Fix what the message says and import the file again."),
                MapProblemKind.Limited => new ApiError(problem.Message, "Wait a moment and import the file again."),
                _ => new ApiError(problem.Message, "Retry after the Retry-After delay."),
            }, statusCode: http.Response.StatusCode);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status400BadRequest)
        {
            return Error(StatusCodes.Status400BadRequest, new ApiError("The upload ended before the whole file arrived.", "Send the file again."));
        }
    }

    /// <summary>An import error as the API answers it: what is wrong (starting with a capital), what to do.</summary>
    public static ApiError Answer(ImportException ex) =>
        new($"{char.ToUpperInvariant(ex.Message[0])}{ex.Message[1..]} Nothing was imported.", ex.Hint);

    private static JsonHttpResult<ApiError> Error(int status, ApiError error) => TypedResults.Json(error, statusCode: status);
}
