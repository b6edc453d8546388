using MapServer.Api.Sessions;
using MapServer.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Apis;

/// <summary>
/// DNS-rebinding protection: a request whose Host or Origin names a host that is not ours gets 403,
/// so a web page on another domain resolved to 127.0.0.1 cannot drive a local server. Allowed:
/// localhost names, the in-cluster Service name, the public base URL's host and MapServer:AllowedHosts.
/// Probes and scrapes (/health, /alive, /metrics) are exempt: kubelet sends the pod IP as Host. Reads of a session's
/// stream and data may come from any Origin (the map inside a chat runs on its host's origin; <see cref="MapAppReads"/>),
/// never from a foreign Host.
/// </summary>
public sealed class HostFiltering(RequestDelegate next, IOptions<MapServerOptions> options)
{
    private static readonly string[] ProbePaths = ["/health", "/alive", "/metrics"];

    private readonly HashSet<string> _allowed = AllowedHosts(options.Value);

    public Task InvokeAsync(HttpContext context)
    {
        if (ProbePaths.Any(path => context.Request.Path.StartsWithSegments(path)))
        {
            return next(context);
        }

        var origin = context.Request.Headers.Origin.ToString();
        var originHost = Uri.TryCreate(origin, UriKind.Absolute, out var originUri) ? originUri.Host : null;
        var foreignOrigin = origin.Length > 0 && (originHost is null || !_allowed.Contains(originHost)) && !MapAppReads.IsSessionRead(context.Request);
        if (!_allowed.Contains(context.Request.Host.Host) || foreignOrigin)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsJsonAsync(new ApiError(
                $"Host '{context.Request.Host.Host}'{(origin.Length > 0 ? $" / Origin '{origin}'" : "")} is not allowed.",
                "Connect through localhost or a host listed in MapServer:AllowedHosts (or MapServer:PublicBaseUrl)."));
        }

        return next(context);
    }

    private static HashSet<string> AllowedHosts(MapServerOptions options)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1", "[::1]", "mcp-map-server" };
        hosts.UnionWith(options.AllowedHosts.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var publicUrl))
        {
            hosts.Add(publicUrl.Host);
        }

        return hosts;
    }
}
