namespace MapServer.Api.Mcp;

/// <summary>get_import_link's answer: the link a person drops files on, the largest file it takes, and what to tell them.</summary>
public sealed record ImportLink(string ImportUrl, long MaxFileBytes, string Message);
