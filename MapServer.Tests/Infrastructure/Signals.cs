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
}
