namespace MapServer.Api.Apis;

/// <summary>A JSON error body: what went wrong and what to do instead.</summary>
public sealed record ApiError(string Error, string Hint)
{
    public static ApiError UnknownSession(string? sessionId) => new(
        $"Map session '{sessionId}' does not exist or has expired.",
        "Create a session with the create_map_session tool (or open the viewer without an id) and use the id it returns.");
}
