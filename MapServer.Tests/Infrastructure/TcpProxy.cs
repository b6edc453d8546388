using System.Net.Sockets;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a server, so a test can really cut its connections (an open
/// EventSource survives Playwright's offline mode) and let them back, and count what clients send.
/// Faults: <see cref="Sever"/> resets connections, <see cref="Blackhole"/> keeps them open but silent
/// (a partition: nothing arrives, nothing fails), <see cref="Latency"/> delays every chunk. <see cref="Target"/> can
/// change while it runs: new connections go to the new server, open ones stay where they are.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private volatile Uri _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private volatile bool _severed;
    private volatile bool _blackholed;
    private long _bytesSent;

    public TcpProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The server new connections are forwarded to.</summary>
    public Uri Target
    {
        get => _target;
        set => _target = value;
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Bytes clients have sent through the proxy to the server so far.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Resets every open connection and every new one until <see cref="Restore"/>.</summary>
    public void Sever()
    {
        _severed = true;
        lock (_open)
        {
            foreach (var socket in _open)
            {
                Reset(socket);
            }

            _open.Clear();
        }
    }

    /// <summary>Holds every byte in both directions (connections stay open and new ones are accepted) until <see cref="Restore"/>.</summary>
    public void Blackhole() => _blackholed = true;

    /// <summary>Delay added to every chunk forwarded in either direction.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Ends every fault: new connections pass, held bytes flow again.</summary>
    public void Restore()
    {
        _severed = false;
        _blackholed = false;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_severed)
            {
                Reset(client);
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        var target = _target;
        try
        {
            await upstream.ConnectAsync(target.Host, target.Port, _stopping.Token);
            lock (_open)
            {
                _open.Add(client);
                _open.Add(upstream);
            }

            await Task.WhenAny(CopyAsync(client, upstream, countSent: true), CopyAsync(upstream, client, countSent: false));
        }
        catch (Exception)
        {
            // a reset or refused connection is what severing means
        }
        finally
        {
            Reset(client);
            Reset(upstream);
        }
    }

    /// <summary>
    /// Forwards what arrives, each chunk due <see cref="Latency"/> after it arrived: latency without a cap on throughput
    /// (a sender never waits for the previous chunk's delay).
    /// </summary>
    private async Task CopyAsync(Socket from, Socket to, bool countSent)
    {
        var chunks = System.Threading.Channels.Channel.CreateUnbounded<(long Due, byte[]? Bytes)>(new() { SingleReader = true, SingleWriter = true });
        var forwarding = ForwardAsync(chunks.Reader, to);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
            if (countSent)
            {
                Interlocked.Add(ref _bytesSent, read);
            }

            chunks.Writer.TryWrite((Environment.TickCount64 + (long)Latency.TotalMilliseconds, read == 0 ? null : buffer[..read]));
            if (read == 0)
            {
                chunks.Writer.TryComplete();
                await forwarding;
                return;
            }
        }
    }

    private async Task ForwardAsync(System.Threading.Channels.ChannelReader<(long Due, byte[]? Bytes)> chunks, Socket to)
    {
        await foreach (var (due, bytes) in chunks.ReadAllAsync(_stopping.Token))
        {
            while (_blackholed || Environment.TickCount64 < due)
            {
                await Task.Delay(_blackholed ? 20 : (int)Math.Max(1, due - Environment.TickCount64), _stopping.Token);
            }

            if (bytes is null)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            await to.SendAsync(bytes, SocketFlags.None, _stopping.Token);
        }
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0); // RST, not a polite FIN: a real drop
            socket.Close();
        }
        catch (Exception)
        {
            // already gone
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Sever();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }
}
