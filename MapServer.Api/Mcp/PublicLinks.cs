using MapServer.Api.Sessions;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Mcp;

/// <summary>Links people and other programs open: the viewer, and layer data in exports.</summary>
public sealed class PublicLinks(IOptions<MapServerOptions> options, IHttpContextAccessor http)
{
    /// <summary>MapServer:PublicBaseUrl when set (the viewer's origin), else the origin this request came to.</summary>
    public string BaseUrl
    {
        get
        {
            var configured = options.Value.PublicBaseUrl;
            var request = http.HttpContext?.Request;
            var baseUrl = !string.IsNullOrWhiteSpace(configured) ? configured : request is null ? "http://localhost:5080" : $"{request.Scheme}://{request.Host}";
            return baseUrl.TrimEnd('/');
        }
    }

    public string Viewer(string sessionId) => $"{BaseUrl}/map/{sessionId}";
}
