using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Security;

/// <summary>
/// What a source may make every viewer's browser fetch: https (http only where configured) on public hosts,
/// or this server's own paths. Never javascript:, file:, data: or credentials in the URL, and no loopback,
/// private or link-local host (the browser would probe the user's own network) unless the operator allows it.
/// Host names are judged as written: the browser, not this server, resolves them.
/// </summary>
public sealed class SourceUrlRules(IOptions<SourceUrlOptions> options)
{
    private readonly SourceUrlOptions _options = options.Value;
    private readonly string[] _allowedHosts = options.Value.AllowedHosts.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Throws <see cref="MapOperationException"/> naming the first URL of the operation's sources that is not allowed.</summary>
    public void Check(MapOperation operation)
    {
        foreach (var url in operation.Sources().SelectMany(UrlsOf))
        {
            Check(url);
        }
    }

    public void Check(string url)
    {
        var inner = url.StartsWith("pmtiles://", StringComparison.OrdinalIgnoreCase) ? url["pmtiles://".Length..] : url;
        if (inner.StartsWith('/') && !inner.StartsWith("//", StringComparison.Ordinal))
        {
            return; // this server's own paths (layer data), fetched from the viewer's origin
        }

        if (!Uri.TryCreate(inner, UriKind.Absolute, out var uri))
        {
            throw Refused(url, "is not an absolute URL; use https://host/path (tile templates keep {z}/{x}/{y} in the path)");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && _options.AllowHttp))
        {
            throw Refused(url, uri.Scheme == Uri.UriSchemeHttp
                ? "uses http:, which this server does not allow (MapServer:Sources:AllowHttp); use the https: URL"
                : $"uses the {uri.Scheme}: scheme; sources may only use https:");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw Refused(url, "carries credentials (user:password@); every viewer would see them. Use a URL without them, e.g. with a public token in the query");
        }

        if (_allowedHosts.Length > 0)
        {
            if (!_allowedHosts.Any(allowed => HostMatches(uri.IdnHost, allowed)))
            {
                throw Refused(url, $"is on host '{uri.IdnHost}', which is not one of this server's allowed hosts ({string.Join(", ", _allowedHosts)}; MapServer:Sources:AllowedHosts)");
            }

            return;
        }

        if (!_options.AllowPrivateHosts && IsPrivate(uri))
        {
            throw Refused(url, $"points at '{uri.IdnHost}', a loopback, private, link-local or intranet host: every viewer's browser would fetch it from the user's own network. Use a public https host (an operator can allow-list hosts in MapServer:Sources:AllowedHosts)");
        }
    }

    private static IEnumerable<string> UrlsOf(JsonElement source)
    {
        if (source.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var name in (string[])["url", "data"])
        {
            if (source.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                yield return value.GetString()!;
            }
        }

        if (source.TryGetProperty("tiles", out var tiles) && tiles.ValueKind == JsonValueKind.Array)
        {
            foreach (var tile in tiles.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String))
            {
                yield return tile.GetString()!;
            }
        }
    }

    private static bool HostMatches(string host, string allowed) =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(host, allowed, StringComparison.OrdinalIgnoreCase);

    private static bool IsPrivate(Uri uri)
    {
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(uri.IdnHost.Trim('[', ']'), out var address))
        {
            return IsPrivate(address);
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        return !host.Contains('.') // single-label intranet names
            || host == "localhost"
            || host.EndsWith(".localhost", StringComparison.Ordinal)
            || host.EndsWith(".local", StringComparison.Ordinal)
            || host.EndsWith(".internal", StringComparison.Ordinal)
            || host.EndsWith(".lan", StringComparison.Ordinal)
            || host.EndsWith(".home.arpa", StringComparison.Ordinal);
    }

    /// <summary>Loopback, unspecified, private, link-local, unique-local or carrier-grade NAT: not a public address.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        }

        var b = address.GetAddressBytes();
        return b[0] is 10 or 0 or 127
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127); // carrier-grade NAT
    }

    private static MapOperationException Refused(string url, string why) =>
        new($"source URL '{(url.Length > 120 ? url[..120] + "…" : url)}' {why}.");
}
