using MapServer.Api.Data;
using MapServer.Api.Importing;
using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace MapServer.Api.Apis;

/// <summary>
/// <c>GET /sessions/{id or token}/layers/{layerId}/export?format=geojson|csv</c>: a layer's data stored on this server,
/// as a download. GeoJSON is sent as stored; CSV is written from it (<see cref="LayerCsv"/>). Any link that opens the map may.
/// </summary>
public static class LayerExportApi
{
    public static IEndpointRouteBuilder MapLayerExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sessions/{sessionId}/layers/{layerId}/export", ExportLayer)
            .WithName("ExportLayer")
            .WithSummary("Downloads a layer's data as GeoJSON or CSV.");
        return app;
    }

    public static async Task<IResult> ExportLayer(
        HttpContext http,
        string sessionId,
        string layerId,
        [FromQuery] string? format,
        ViewLinks viewLinks,
        IMapSessionStore sessions,
        ILayerDataStore store,
        CancellationToken cancellationToken)
    {
        format = (format ?? "geojson").ToLowerInvariant();
        if (format is not ("geojson" or "csv"))
        {
            return TypedResults.BadRequest(new ApiError($"'{format}' is not an export format.", "Use format=geojson or format=csv."));
        }

        var resolved = await viewLinks.ResolveAsync(sessionId, cancellationToken);
        var state = resolved is { } session ? await sessions.GetAsync(session.SessionId, cancellationToken) : null;
        if (state is null)
        {
            return TypedResults.NotFound(ApiError.UnknownSession(sessionId));
        }

        if (!state.Layers.TryGetValue(layerId, out var layer))
        {
            return TypedResults.NotFound(new ApiError($"Map session '{sessionId}' has no layer '{layerId}'.", "Use a layer id from the viewer's layer list (or list_layers)."));
        }

        if (layer.Data is not { } data || await store.GetAsync(resolved!.Value.SessionId, data.Sha256, cancellationToken) is not { } gzip)
        {
            return TypedResults.NotFound(new ApiError(
                $"Layer '{layerId}' has no data on this server: it is drawn from tiles or a URL that browsers fetch.",
                "Download the data from where its source points (list_layers / get_map_state show the source)."));
        }

        var fileName = $"{layerId}.{format}";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName, FileName = fileName }.ToString();
        http.Response.Headers.CacheControl = "no-store";
        if (format == "csv")
        {
            await LayerCsv.WriteAsync(gzip, http.Response, cancellationToken);
            return TypedResults.Empty;
        }

        if (LayerDataApi.AcceptsGzip(http.Request))
        {
            http.Response.Headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(gzip, LayerDataApi.ContentType);
        }

        return TypedResults.Bytes(Gzip.Decompress(gzip), LayerDataApi.ContentType);
    }
}
