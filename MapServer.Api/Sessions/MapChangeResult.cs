namespace MapServer.Api.Sessions;

/// <summary>What a changing tool returns: small, whatever the size of the map.</summary>
public sealed record MapChangeResult(string SessionId, long Version, string Summary);
