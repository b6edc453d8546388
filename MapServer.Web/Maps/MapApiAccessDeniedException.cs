using System.Net;

namespace MapServer.Web.Maps;

/// <summary>
/// The api answered 401 or 403 to the viewer: it accepts only authenticated agents for this call
/// (e.g. creating a session when the api runs with ApiKey or OAuth).
/// </summary>
public sealed class MapApiAccessDeniedException(HttpStatusCode statusCode)
    : HttpRequestException($"the api refused the viewer's request ({(int)statusCode} {statusCode})", inner: null, statusCode);
