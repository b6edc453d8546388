namespace MapServer.Web.Security;

/// <summary>
/// What the map inside a chat (an MCP App: a sandboxed frame of the host's, on an origin of its own or none) reads from
/// this origin: the viewer's scripts and libraries, the basemap, glyphs, the session's stream and its layer data. Those
/// GETs may be read from any origin; nothing else is shared (no credentials, no writes: viewport reports go through the
/// host as a tool call). The session's stream is addressed by its read-only view link, which already grants this read.
/// </summary>
public static class McpAppCors
{
    public const string PolicyName = "mcp-app";

    public static IServiceCollection AddMcpAppCors(this IServiceCollection services) =>
        services.AddCors(cors => cors.AddPolicy(PolicyName, policy => policy.AllowAnyOrigin().WithMethods(HttpMethods.Get, HttpMethods.Head)));

    public static void UseMcpAppCors(this WebApplication app) =>
        app.UseWhen(context => IsReadByMapApps(context.Request.Path), shared => shared.UseCors(PolicyName));

    /// <summary>Whether the map inside a chat loads <paramref name="path"/>.</summary>
    public static bool IsReadByMapApps(PathString path) =>
        path.StartsWithSegments("/js") || path.StartsWithSegments("/lib") || path.StartsWithSegments("/glyphs")
        || path.StartsWithSegments("/basemap") || path == "/events" || IsLayerData(path.Value ?? "");

    /// <summary>/sessions/{view}/data/{sha256}: a layer's stored GeoJSON.</summary>
    private static bool IsLayerData(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments is ["sessions", _, "data", _];
    }
}
