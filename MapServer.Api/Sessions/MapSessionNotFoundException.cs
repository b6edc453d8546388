namespace MapServer.Api.Sessions;

public sealed class MapSessionNotFoundException(string sessionId)
    : Exception($"Map session '{sessionId}' does not exist or has expired. Call create_map_session to start a new one.")
{
    public string SessionId { get; } = sessionId;
}
