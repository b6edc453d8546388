using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// A viewer that behaves like the browser's EventSource: it stays on a session's /events stream, reconnects with
/// Last-Event-ID whenever the stream ends or fails, and records every version it is shown, so a fault test can
/// check that nothing was skipped (a change must be exactly one version after the last; a snapshot restarts the count).
/// </summary>
public sealed class ResumingViewer : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _session;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _watching;
    private readonly List<string> _gaps = [];
    private long _version = -1;
    private int _connections;

    private ResumingViewer(Uri baseAddress, string session)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _session = session;
        _watching = WatchAsync();
    }

    /// <summary>The last version shown (-1 before the first snapshot).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Changes that did not follow the previous version: empty when nothing was missed.</summary>
    public IReadOnlyList<string> Gaps
    {
        get
        {
            lock (_gaps)
            {
                return [.. _gaps];
            }
        }
    }

    /// <summary>How many streams it opened (1 + reconnects).</summary>
    public int Connections => Volatile.Read(ref _connections);

    public static ResumingViewer Open(Uri baseAddress, string session) => new(baseAddress, session);

    /// <summary>Waits until the viewer has been shown <paramref name="version"/> (or later).</summary>
    public async Task WaitForVersionAsync(long version, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (Version < version)
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"the viewer is at version {Version} after {timeout.TotalSeconds:0} s, not {version} ({Connections} connection(s))");
            }

            await Task.Delay(25, CancellationToken.None);
        }
    }

    private async Task WatchAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/events?session={_session}");
                if (Version >= 0)
                {
                    request.Headers.Add("Last-Event-ID", Version.ToString(CultureInfo.InvariantCulture));
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stopping.Token);
                Interlocked.Increment(ref _connections);
                if (!response.IsSuccessStatusCode)
                {
                    await Task.Delay(200, _stopping.Token);
                    continue;
                }

                await using var stream = await response.Content.ReadAsStreamAsync(_stopping.Token);
                await foreach (var item in SseParser.Create(stream).EnumerateAsync(_stopping.Token))
                {
                    Show(item);
                }
            }
            catch (Exception) when (!_stopping.IsCancellationRequested)
            {
                // a dropped or refused connection: EventSource retries, so does this
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    private void Show(SseItem<string> item)
    {
        if (item.EventType is not ("snapshot" or "change"))
        {
            return;
        }

        var version = JsonDocument.Parse(item.Data).RootElement.GetProperty("version").GetInt64();
        if (item.EventType == "change" && version != Version + 1)
        {
            lock (_gaps)
            {
                _gaps.Add($"v{version} after v{Version}");
            }
        }

        Interlocked.Exchange(ref _version, version);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _watching;
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stopping.Dispose();
    }
}
