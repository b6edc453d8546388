namespace MapServer.Api.Security;

/// <summary><c>dotnet run --project MapServer.Api -- keygen [name]</c>: mints an API key, printed once, and the setting that stores its hash.</summary>
public static class KeygenCommand
{
    public static bool IsInvoked(string[] args) => args is ["keygen", ..];

    public static int Run(string[] args, TextWriter output)
    {
        var name = args.Length > 1 ? args[1] : "agent";
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            output.WriteLine($"The key name '{name}' may hold only letters, digits, '-' and '_' (it becomes part of a setting's name).");
            return 2;
        }

        var (key, hash) = ApiKeys.Mint();
        output.WriteLine($"API key for '{name}' (shown once; give it to the agent, store it nowhere else):");
        output.WriteLine($"  {key}");
        output.WriteLine("The server keeps only its SHA-256. Set it as configuration, e.g. the environment variable:");
        output.WriteLine($"  MapServer__Auth__ApiKeys__{name}={hash}");
        output.WriteLine("or in Kubernetes:");
        output.WriteLine($"  kubectl -n mcp-map-server create secret generic mcp-map-server-api-keys --from-literal=MapServer__Auth__ApiKeys__{name}={hash}");
        output.WriteLine("Agents send it as the header:  Authorization: Bearer <key>");
        return 0;
    }
}
