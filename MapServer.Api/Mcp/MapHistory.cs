namespace MapServer.Api.Mcp;

public sealed record MapHistory(IReadOnlyList<MapHistoryEntry> Changes);
