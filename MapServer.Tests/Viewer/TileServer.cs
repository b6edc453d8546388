using MapServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MapServer.Tests.Viewer;

/// <summary>
/// A local XYZ raster tile server on loopback (another origin than the viewer): every tile is the
/// same small amber PNG, with the CORS header public tile servers send. It counts the tiles it served.
/// </summary>
public sealed class TileServer : IAsyncDisposable
{
    private static readonly byte[] AmberPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAE0lEQVR4nGP4Oo/7Pz7MMDIUAABRsqdBZYrLcQAAAABJRU5ErkJggg==");

    private WebApplication _app = null!;
    private int _served;

    private TileServer()
    {
    }

    public int TilesServed => Volatile.Read(ref _served);

    /// <summary>The URL template a raster source takes.</summary>
    public string TileUrlTemplate { get; private set; } = "";

    public static async Task<TileServer> StartAsync(CancellationToken cancellationToken)
    {
        var server = new TileServer();
        (server._app, var address) = await LoopbackServer.StartAsync(
            app => app.MapGet("/tiles/{z:int}/{x:int}/{y:int}.png", (HttpResponse response) =>
            {
                Interlocked.Increment(ref server._served);
                // MapLibre fetches tiles (CORS mode), as public tile servers expect.
                response.Headers.AccessControlAllowOrigin = "*";
                return Results.Bytes(AmberPng, "image/png");
            }),
            cancellationToken);
        server.TileUrlTemplate = $"{address}/tiles/{{z}}/{{x}}/{{y}}.png";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
