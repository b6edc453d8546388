namespace MapServer.Api.Apis;

public sealed record SessionInfo(string SessionId, long Version);
