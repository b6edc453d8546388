using System.Diagnostics;
using System.Globalization;

namespace MapServer.Tests.Infrastructure;

/// <summary>POSIX signals to processes a test started (.NET's Process can only SIGKILL), sent with kill(1).</summary>
internal static class Signals
{
    public const string Kill = "KILL";
    public const string Terminate = "TERM";
    public const string Continue = "CONT";
    public const string Stop = "STOP";

    public static void Send(int processId, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} failed with {kill.ExitCode}");
        }
    }

    /// <summary>SIGKILLs a process and all its descendants, deepest first (e.g. `dotnet run` and the app it runs).</summary>
    public static void KillTree(int processId)
    {
        foreach (var child in Children(processId))
        {
            KillTree(child);
        }

        Send(processId, Kill);
    }

    private static List<int> Children(int processId)
    {
        var file = $"/proc/{processId}/task/{processId}/children";
        return File.Exists(file)
            ? File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(id => int.Parse(id, CultureInfo.InvariantCulture)).ToList()
            : [];
    }
}
