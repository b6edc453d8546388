namespace MapServer.Api.Mcp;

public sealed record CreatedMapSession(string SessionId, string ViewerUrl, string Instructions);
