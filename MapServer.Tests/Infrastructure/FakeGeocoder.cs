using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// A stand-in for Nominatim or Photon on a loopback port (real HTTP): answers every request with <c>respond</c> and
/// records what arrived (path, raw query, User-Agent, when), so tests can count the requests a geocoder really got.
/// </summary>
public sealed class FakeGeocoder : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Path, string Query, string UserAgent, TimeSpan At)> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private WebApplication _app = null!;

    private FakeGeocoder()
    {
    }

    /// <summary>The base address, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public string Address { get; private set; } = "";

    /// <summary>The requests that arrived, in order: path, raw query string (still encoded, with its '?'), User-Agent, and when since the start.</summary>
    public IReadOnlyList<(string Path, string Query, string UserAgent, TimeSpan At)> Requests => [.. _requests];

    public int Count => _requests.Count;

    public static async Task<FakeGeocoder> StartAsync(Func<HttpContext, Task> respond, CancellationToken cancellationToken = default)
    {
        var fake = new FakeGeocoder();
        (fake._app, fake.Address) = await LoopbackServer.StartAsync(
            app => app.Run(async context =>
            {
                fake._requests.Enqueue((context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", context.Request.Headers.UserAgent.ToString(), fake._clock.Elapsed));
                await respond(context);
            }),
            cancellationToken);
        return fake;
    }

    /// <summary>A base address where nothing listens: a server's, just stopped.</summary>
    public static async Task<string> ClosedAddressAsync(CancellationToken cancellationToken = default)
    {
        var (app, address) = await LoopbackServer.StartAsync(_ => { }, cancellationToken);
        await app.StopAsync(cancellationToken);
        await app.DisposeAsync();
        return address;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
