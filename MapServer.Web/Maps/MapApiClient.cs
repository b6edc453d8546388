using System.Net;
using System.Net.Http.Json;

namespace MapServer.Web.Maps;

/// <summary>The viewer's calls to the api (creating and checking sessions).</summary>
public sealed class MapApiClient(HttpClient http)
{
    public async Task<string> CreateSessionAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync("/sessions", content: null, cancellationToken);
        response.EnsureSuccessStatusCode();
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

        response.EnsureSuccessStatusCode();
        return true;
    }

    private sealed record SessionInfo(string SessionId, long Version);
}
