using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using MapServer.ServiceDefaults;
using Microsoft.AspNetCore.Components;

namespace MapServer.Web.Security;

/// <summary>
/// The security headers on every viewer response: a Content-Security-Policy that lets the page load
/// only itself, the basemaps and the tile/data hosts agents may add (read from the same
/// <c>MapServer:Sources</c> settings the api checks source URLs against), plus nosniff, a referrer
/// policy and frame-ancestors.
/// </summary>
public sealed class ViewerSecurityHeaders
{
    /// <summary>';'-separated host names agents' sources may use; empty = any public https host.</summary>
    public const string AllowedHostsKey = "MapServer:Sources:AllowedHosts";

    /// <summary>Whether sources may use http: (default true in Development, false otherwise).</summary>
    public const string AllowHttpKey = "MapServer:Sources:AllowHttp";

    /// <summary>The hosts of the viewer's own raster basemaps.</summary>
    public static IReadOnlyList<string> BasemapHosts => RasterBasemaps.Hosts;

    private readonly string _imageSources;
    private readonly string _connectSources;
    private readonly string _policyWithoutInlineScript;
    private readonly ConditionalWeakTable<ImportMapDefinition, string> _policyByImportMap = [];

    /// <param name="allowedHosts">The hosts agents' sources may use; empty = any https host (the api refuses private ones).</param>
    /// <param name="allowHttp">Whether those sources may also use http:.</param>
    public ViewerSecurityHeaders(IEnumerable<string> allowedHosts, bool allowHttp)
    {
        var hosts = allowedHosts.Select(CheckedHost).Distinct(StringComparer.Ordinal).ToList();
        List<string> agentSources = hosts.Count == 0
            ? allowHttp ? ["https:", "http:"] : ["https:"]
            : [.. hosts.SelectMany(host => allowHttp ? new[] { $"https://{host}", $"http://{host}" } : [$"https://{host}"])];
        var basemaps = BasemapHosts.Select(host => $"https://{host}");

        // data: for MapLibre's control icons (CSS data URLs), blob: for images MapLibre makes from fetched bytes.
        _imageSources = string.Join(' ', ["'self'", "data:", "blob:", .. basemaps, .. agentSources]);
        // Blazor's WebSocket goes to this origin, so 'self' covers it; tiles, TileJSON, PMTiles ranges and GeoJSON URLs are fetched.
        _connectSources = string.Join(' ', ["'self'", .. basemaps, .. agentSources]); // glyphs and the offline basemap come from 'self'

        _policyWithoutInlineScript = Policy(scriptSources: "'self'");
    }

    /// <summary>The headers as the viewer's configuration asks: the api's source rules, read from the same keys.</summary>
    public static ViewerSecurityHeaders FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var allowedHosts = (configuration[AllowedHostsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // In Development the api allows http and private hosts too, so local tile servers work there.
        var allowHttp = configuration.GetValue(AllowHttpKey, environment.IsDevelopment());
        return new ViewerSecurityHeaders(allowedHosts, allowHttp);
    }

    /// <summary>
    /// The policy for a response; a page that renders <paramref name="importMap"/> (Blazor's
    /// <c>&lt;ImportMap /&gt;</c>, an inline script) gets that script allowed by its SHA-256 hash.
    /// </summary>
    public string ContentSecurityPolicy(ImportMapDefinition? importMap) =>
        importMap is null
            ? _policyWithoutInlineScript
            // ToString() is the JSON the <ImportMap /> component writes inside its <script> element.
            : _policyByImportMap.GetValue(importMap, map => Policy($"'self' '{ScriptHash(map.ToString())}'"));

    /// <summary>The CSP hash source of an inline script's exact text.</summary>
    public static string ScriptHash(string scriptText) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(scriptText)));

    /// <summary>Sets the headers on <paramref name="context"/>'s response (call after routing, so the page's import map is known).</summary>
    public void Apply(HttpContext context)
    {
        var policy = ContentSecurityPolicy(context.GetEndpoint()?.Metadata.GetMetadata<ImportMapDefinition>());
        // At the start of the response, so handlers that clear headers (errors, the proxy's copy) cannot drop them.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            // Tile servers such as OpenStreetMap's refuse requests without an origin Referer.
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            return Task.CompletedTask;
        });
    }

    private string Policy(string scriptSources) => string.Join("; ",
        "default-src 'self'",
        $"script-src {scriptSources}",
        // Blazor writes style attributes (the panel's swatches) and its reconnect dialog adds a <style>
        // element; both are inline styles. (MapLibre styles through the CSSOM, which CSP does not police.)
        "style-src 'self' 'unsafe-inline'",
        $"img-src {_imageSources}",
        $"connect-src {_connectSources}",
        // MapLibre 6 starts its worker from its own module file (blob: where module workers are missing); child-src for
        // browsers without worker-src.
        "worker-src 'self' blob:",
        "child-src 'self' blob:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'");

    /// <summary>A host name as a CSP host source; anything else (a scheme, a path, a quote) would change the policy.</summary>
    private static string CheckedHost(string host)
    {
        var kind = Uri.CheckHostName(host);
        return kind switch
        {
            UriHostNameType.Dns or UriHostNameType.IPv4 => host.ToLowerInvariant(),
            UriHostNameType.IPv6 => $"[{host.Trim('[', ']').ToLowerInvariant()}]",
            _ => throw new InvalidOperationException(
                $"{AllowedHostsKey} lists '{host}', which is not a host name: list host names only, separated by ';' (e.g. tiles.example.com;data.example.org)."),
        };
    }
}
