namespace MapServer.Api.Mcp;

public sealed record MapHistoryEntry(long Version, string Op, string Summary, DateTimeOffset At);
