namespace MapServer.Api.Mcp;

/// <summary>Parameter descriptions every map tool shares: agents read them, so they read the same everywhere.</summary>
internal static class ToolHelp
{
    public const string SessionId = "The map session id from create_map_session.";

    public const string IfVersion = "Optional: apply only if the map is still at this version (from get_map_state or a previous change's result); otherwise nothing changes and the error gives the current version. Omit to apply to the map as it is.";
}
