using System.Diagnostics;
using System.Globalization;
using System.Text;
using MapServer.Tests.Kubernetes;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// One api replica as its own process (the built dll, Production, the shipped appsettings), so a test can
/// SIGTERM or SIGKILL it for real. Authentication None and the per-caller limits off unless the test says otherwise.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>What the replica logged so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The api's build output next to this test assembly's (same configuration).</summary>
    public static string Directory
    {
        get
        {
            var parts = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar).Split(Path.DirectorySeparatorChar);
            var configuration = parts[Array.LastIndexOf(parts, "bin") + 1];
            return Path.Combine(Repository.Root, "MapServer.Api", "bin", configuration, parts[^1]);
        }
    }

    public static async Task<ApiProcess> StartAsync(string? redisConnectionString, IDictionary<string, string>? settings = null)
    {
        var port = RedisServer.FreePort();
        var startInfo = new ProcessStartInfo("dotnet", [Path.Combine(Directory, "MapServer.Api.dll")])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.Environment.Remove("DOTNET_LAUNCH_PROFILE");
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        startInfo.Environment["MapServer__Auth__Mode"] = "None";
        startInfo.Environment["MapServer__Limits__McpRequestsPerSecond"] = "0";
        startInfo.Environment["MapServer__Limits__ChangesPerSecondPerSession"] = "0";
        startInfo.Environment["MapServer__Limits__SessionsPerHour"] = "0";
        startInfo.Environment["MapServer__Limits__EventStreamsPerIp"] = "0";
        if (redisConnectionString is not null)
        {
            startInfo.Environment["ConnectionStrings__redis"] = redisConnectionString;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var api = new ApiProcess(Process.Start(startInfo)!, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await probe.GetAsync(new Uri(api.BaseAddress, "/alive"));
                if (response.IsSuccessStatusCode)
                {
                    return api;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline && !api._process.HasExited)
            {
            }

            if (api._process.HasExited || DateTime.UtcNow >= deadline)
            {
                await api.DisposeAsync();
                Assert.Fail($"the api did not start:{Environment.NewLine}{api.Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod; returns how long the process took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        Signals.Send(_process.Id, Signals.Terminate);
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the api did not exit within {timeout.TotalSeconds:0} s of SIGTERM:{Environment.NewLine}{Output}");
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>SIGKILL: the replica vanishes mid-stream, as when its node dies.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
