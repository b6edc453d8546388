using System.Diagnostics;
using System.Globalization;
using Xunit.Sdk;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// Debian's redis-server as a child process on its own port, optionally with AOF (appendfsync always, as the
/// production overlay runs it) in its own directory, so a test can stop, pause, kill and restart it for real.
/// </summary>
public sealed class RedisServerProcess(int port, bool appendOnly, IReadOnlyList<string>? arguments = null) : RedisServer(port)
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mapserver-redis").FullName;
    private Process? _process;

    public static bool Available() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, RedisServerBinary)));

    /// <summary>A redis-server with AOF on a free port (skips the test when redis-server is absent, unless CI requires it).</summary>
    public static async Task<RedisServerProcess> StartDurableAsync()
    {
        SkipUnlessAvailable();
        var server = new RedisServerProcess(FreePort(), appendOnly: true);
        await server.StartAsync();
        return server;
    }

    /// <summary>Skips the test when redis-server is absent, unless CI requires it (MAPSERVER_REQUIRE_REDIS_SERVER=1).</summary>
    public static void SkipUnlessAvailable()
    {
        if (!Available())
        {
            throw Environment.GetEnvironmentVariable("MAPSERVER_REQUIRE_REDIS_SERVER") == "1"
                ? new InvalidOperationException("redis-server is required (MAPSERVER_REQUIRE_REDIS_SERVER=1) but not on PATH")
                : SkipException.ForSkip("redis-server is not installed here (apt-get install redis-server)");
        }
    }

    protected override void Start() =>
        _process = Process.Start(new ProcessStartInfo(RedisServerBinary,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--dir", _directory,
             "--appendonly", appendOnly ? "yes" : "no", "--appendfsync", "always", .. arguments ?? []])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        });

    /// <summary>SIGSTOP: connections stay open but nothing is answered until <see cref="Resume"/>.</summary>
    public void Pause() => Signals.Send(_process!.Id, Signals.Stop);

    public void Resume() => Signals.Send(_process!.Id, Signals.Continue);

    /// <summary>SIGTERM, as `redis-cli shutdown` or Kubernetes would stop it; waits for the exit.</summary>
    public void Terminate() => End(Signals.Terminate);

    /// <summary>SIGKILL: no chance to flush anything; with AOF only what was already written survives.</summary>
    public void Kill() => End(Signals.Kill);

    public override void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private void End(string signal)
    {
        if (_process is { HasExited: false })
        {
            Signals.Send(_process.Id, Signals.Continue); // a paused server cannot act on SIGTERM
            Signals.Send(_process.Id, signal);
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }
}
