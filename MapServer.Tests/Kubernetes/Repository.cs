using System.Diagnostics;
using System.Text;

namespace MapServer.Tests.Kubernetes;

/// <summary>Where the repository is, and how the Kubernetes tests run its tools.</summary>
internal static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The directory holding MapServer.sln, found by walking up from the test binaries.</summary>
    public static string Root => RootPath.Value;

    public static string AspirateOutput => Path.Combine(Root, "aspirate-output");

    public static string ProductionOverlay => Path.Combine(Root, "deploy", "production");

    /// <summary>Debug or Release: the configuration these tests were built in, so tools reuse that build.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release"
            : "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MapServer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No MapServer.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>The outcome of one tool run.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe(string what) =>
        $"{what} exited with {ExitCode}.{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

internal static class Tool
{
    /// <summary>Runs a command to completion (or kills it after <paramref name="timeout"/>) and captures its output.</summary>
    public static async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The tests' own host settings must not leak into the tools they run.
        startInfo.Environment.Remove("DOTNET_LAUNCH_PROFILE");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        process.WaitForExit(); // drains the asynchronous readers
        return new ToolResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The kubectl on PATH (or /usr/bin/kubectl), or null when the machine has none.</summary>
    public static string? FindKubectl() => Find("kubectl");

    /// <summary>The <paramref name="command"/> on PATH (or in /usr/bin), or null when the machine has none.</summary>
    public static string? Find(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, command))
            .FirstOrDefault(File.Exists);
}
