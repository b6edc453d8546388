using MapServer.Api.Data;
using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using Microsoft.Net.Http.Headers;

namespace MapServer.Api.Apis;

/// <summary>
/// <c>GET /sessions/&lt;id&gt;/data/&lt;sha256&gt;</c>: a layer's GeoJSON, the URL its source's <c>data</c> holds.
/// Content-addressed, so immutable: the ETag is the hash and browsers cache it for good. Stored gzip-compressed
/// and sent as stored to every client that accepts gzip (all browsers); decompressed for the rest.
/// </summary>
public static class LayerDataApi
{
    public const string ContentType = "application/geo+json";

    public static IEndpointRouteBuilder MapLayerDataApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sessions/{sessionId}/data/{sha256}", GetLayerData)
            .WithName("GetLayerData")
            .WithSummary("A layer's GeoJSON, stored beside the session's state.");
        return app;
    }

    public static async Task<IResult> GetLayerData(
        HttpContext http, string sessionId, string sha256, ILayerDataStore store, ViewLinks viewLinks, CancellationToken cancellationToken)
    {
        var resolved = await viewLinks.ResolveAsync(sessionId, cancellationToken); // the id, or a read-only view token
        if (resolved is null || !LayerData.IsSha256(sha256))
        {
            return TypedResults.NotFound(UnknownData(sessionId, sha256));
        }

        var headers = http.Response.Headers;
        var etag = $"\"{sha256}\"";
        if (http.Request.Headers.IfNoneMatch.Any(value => value is not null && value.Contains(etag, StringComparison.Ordinal)))
        {
            headers.ETag = etag;
            return TypedResults.StatusCode(StatusCodes.Status304NotModified); // the hash names the bytes: a cached copy is always right
        }

        var gzip = await store.GetAsync(resolved.Value.SessionId, sha256, cancellationToken);
        if (gzip is null)
        {
            return TypedResults.NotFound(UnknownData(sessionId, sha256));
        }

        headers.ETag = etag;
        headers.CacheControl = "private, max-age=31536000, immutable";
        headers.Vary = HeaderNames.AcceptEncoding;

        if (AcceptsGzip(http.Request))
        {
            headers.ContentEncoding = "gzip";
            return TypedResults.Bytes(gzip, ContentType);
        }

        return TypedResults.Bytes(Gzip.Decompress(gzip), ContentType);
    }

    /// <summary>Whether the client takes the stored gzip as it is (every browser does).</summary>
    public static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(value => value is not null && value.Contains("gzip", StringComparison.OrdinalIgnoreCase));

    private static ApiError UnknownData(string sessionId, string sha256) => new(
        $"Map session '{sessionId}' holds no layer data '{sha256}'.",
        "Use the data URL exactly as the layer's source gives it (get_map_state or /events); data that no layer uses expires with the session.");
}
