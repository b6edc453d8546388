namespace MapServer.Api.Mcp;

/// <summary>show_map's answer: the viewer link the map in the chat opens (and any client can hand the user) and the version shown.</summary>
public sealed record ShownMap(string ViewerUrl, long Version, string Message);
