using System.Net;
using System.Net.Http.Json;

namespace MapServer.Web.Maps;

/// <summary>The viewer's calls to the api (creating and checking sessions).</summary>
public sealed class MapApiClient(HttpClient http)
{
    public async Task<string> CreateSessionAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("/sessions", content: null, cancellationToken);
        EnsureSuccess(response);
        var created = await response.Content.ReadFromJsonAsync<SessionInfo>(cancellationToken);
        return created?.SessionId ?? throw new InvalidOperationException("the api answered without a session id");
    }

    public async Task<bool> SessionExistsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync($"/sessions/{Uri.EscapeDataString(sessionId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        EnsureSuccess(response);
        return true;
    }

    /// <exception cref="MapApiAccessDeniedException">401 or 403: the api wants an authenticated agent for this.</exception>
    private static void EnsureSuccess(HttpResponseMessage response)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new MapApiAccessDeniedException(response.StatusCode);
        }

        response.EnsureSuccessStatusCode();
    }

    private sealed record SessionInfo(string SessionId, long Version);
}
