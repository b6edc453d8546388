namespace MapServer.Api.Mcp;

/// <summary>Parameter descriptions every map tool shares: agents read them, so they read the same everywhere.</summary>
internal static class ToolHelp
{
    public const string SessionId = "The map session id from create_map_session.";
}
