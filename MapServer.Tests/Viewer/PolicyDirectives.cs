namespace MapServer.Tests.Viewer;

/// <summary>A Content-Security-Policy header read as directive name -> its source list.</summary>
public static class PolicyDirectives
{
    public static Dictionary<string, string[]> Parse(string policy) =>
        policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(directive => directive.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[0], parts => parts[1..], StringComparer.Ordinal);
}
