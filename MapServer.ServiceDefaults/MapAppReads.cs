using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MapServer.ServiceDefaults;

/// <summary>
/// What the map inside a chat (an MCP App: a sandboxed frame of the host's, on an origin of its own or none) reads from
/// the viewer's public origin: the viewer's scripts and libraries, glyphs, the basemap's place names, and the session's
/// stream and layer data (the last two reach the api straight from the ingress). Those GETs may be read from any origin;
/// nothing else is shared: no credentials, no writes (viewport reports go through the host as a tool call). A session's
/// stream and data are addressed by its read-only view link, the capability that already grants this read.
/// </summary>
public static class MapAppReads
{
    public const string CorsPolicy = "map-app-reads";

    /// <summary>The session's stream, its layers' stored GeoJSON (/sessions/{view}/data/{sha256}) and the basemap's place names.</summary>
    public static bool IsSessionRead(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path == "/events" || request.Path.StartsWithSegments("/basemap") || IsLayerData(request.Path.Value ?? ""));

    /// <summary>The viewer's own files: its modules, MapLibre and the MCP Apps library, glyphs.</summary>
    public static bool IsViewerAsset(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path.StartsWithSegments("/js") || request.Path.StartsWithSegments("/lib") || request.Path.StartsWithSegments("/glyphs"));

    public static IServiceCollection AddMapAppReads(this IServiceCollection services) =>
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy.AllowAnyOrigin().WithMethods(HttpMethods.Get, HttpMethods.Head)));

    /// <summary>Lets any origin read the requests <paramref name="shared"/> picks.</summary>
    public static void UseMapAppReads(this IApplicationBuilder app, Func<HttpRequest, bool> shared) =>
        app.UseWhen(context => shared(context.Request), reads => reads.UseCors(CorsPolicy));

    private static bool IsLayerData(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) is ["sessions", _, "data", _];
}
