using MapServer.Tests.Kubernetes;

namespace MapServer.Tests.Clients;

/// <summary>
/// The MCP clients of <c>package.json</c> beside this file, installed once from the npm registry (<c>npm ci</c>, as locked) and run
/// with the machine's node. Without node and npm these tests skip, unless MAPSERVER_REQUIRE_NODE_CLIENTS=1 (CI) makes them fail.
/// </summary>
public sealed class NodeClients : IAsyncLifetime
{
    public static string Directory => Path.Combine(Repository.Root, "MapServer.Tests", "Clients");

    private readonly string? _node = Tool.Find("node");

    private string? _missing;

    public async ValueTask InitializeAsync()
    {
        var npm = Tool.Find("npm");
        if (_node is null || npm is null)
        {
            _missing = "the real-client tests need node and npm (Debian: apt-get install nodejs npm) to install the official MCP clients from npm";
            return;
        }

        // Installed once per lock file: a later run reuses node_modules (npm writes its own copy of the lock there).
        var installed = Path.Combine(Directory, "node_modules", ".package-lock.json");
        if (!File.Exists(installed) || File.GetLastWriteTimeUtc(installed) < File.GetLastWriteTimeUtc(Path.Combine(Directory, "package-lock.json")))
        {
            var install = await Tool.RunAsync(npm, ["ci", "--no-audit", "--no-fund", "--ignore-scripts"], Directory, TimeSpan.FromMinutes(5));
            Assert.True(install.ExitCode == 0, install.Describe("npm ci (the MCP clients of MapServer.Tests/Clients/package.json)"));
        }
    }

    /// <summary>Runs <paramref name="script"/> (a file of this folder, or a path under node_modules) with node.</summary>
    public Task<ToolResult> NodeAsync(string script, params string[] arguments)
    {
        if (_missing is not null)
        {
            SkipOrFail(_missing);
        }

        return Tool.RunAsync(_node!, [Path.Combine(Directory, script), .. arguments], Directory, TimeSpan.FromMinutes(2));
    }

    /// <summary>Skips a test that needs node, npm or the clients (<paramref name="missing"/> says why), or fails it in CI (MAPSERVER_REQUIRE_NODE_CLIENTS=1).</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void SkipOrFail(string missing)
    {
        if (Environment.GetEnvironmentVariable("MAPSERVER_REQUIRE_NODE_CLIENTS") == "1")
        {
            Assert.Fail($"{missing}; MAPSERVER_REQUIRE_NODE_CLIENTS=1 forbids skipping");
        }

        Assert.Skip(missing);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
