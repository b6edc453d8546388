using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Images;

/// <summary>
/// PNGs of a map as a viewer shows it, drawn by the map renderer (MapServer.Renderer: the viewer's renderer in headless
/// Chromium). An image is cached by (session, version, size, view), so asking again for an unchanged map costs nothing;
/// at most <see cref="ConcurrentRenders"/> are asked of the renderer at once from this replica, each within <see cref="Timeout"/>.
/// </summary>
public sealed class MapImages(IHttpClientFactory clients, IOptions<MapServerOptions> options, ViewLinks viewLinks) : IDisposable
{
    /// <summary>The named HttpClient to the renderer (no retries: a busy renderer says so, and the agent decides).</summary>
    public const string HttpClientName = "map-renderer";
    public const int ConcurrentRenders = 4;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(25);
    private const long CacheBytes = 32 * 1024 * 1024;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });
    private readonly SemaphoreSlim _renders = new(ConcurrentRenders, ConcurrentRenders);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.RendererUrl);

    /// <summary>The PNG of <paramref name="state"/> as <paramref name="request"/> asks.</summary>
    /// <exception cref="MapRendererUnavailableException">No renderer, or it could not draw it now.</exception>
    public async Task<byte[]> DrawAsync(string sessionId, MapState state, MapImageRequest request, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            throw new MapRendererUnavailableException(
                "No map renderer is configured on this server, so it cannot draw images: ask the operator to run MapServer.Renderer and set MapServer:RendererUrl (the AppHost does both), or give the user the viewer URL instead.");
        }

        var key = request.Key(sessionId, state.Version);
        if (_cache.TryGetValue(key, out byte[]? cached) && cached is not null)
        {
            return cached;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await _renders.WaitAsync(deadline.Token);
            try
            {
                // The state as a viewer receives it: its layer data addressed by the read-only view link, never the session id.
                var viewState = ViewLinks.Present(MapChanges.Serialize(state), sessionId, await viewLinks.TokenForAsync(sessionId, deadline.Token));
                using var body = JsonContent.Create(new
                {
                    state = JsonSerializer.Deserialize(viewState, MapJsonContext.Default.JsonElement),
                    width = request.Width,
                    height = request.Height,
                    camera = request.Center is null && request.Zoom is null ? null : new { center = request.Center ?? state.Center, zoom = request.Zoom ?? state.Zoom, bearing = 0, pitch = 0 },
                    bbox = request.Bbox,
                });
                using var http = clients.CreateClient(HttpClientName);
                using var response = await http.PostAsync(new Uri(new Uri(options.Value.RendererUrl), "/render"), body, deadline.Token);
                if (!response.IsSuccessStatusCode)
                {
                    var error = response.Content.Headers.ContentType?.MediaType == "application/json"
                        ? (await response.Content.ReadFromJsonAsync<JsonElement>(deadline.Token)).TryGetProperty("error", out var e) ? e.GetString() : null
                        : null;
                    throw new MapRendererUnavailableException(error ?? $"The map renderer answered {(int)response.StatusCode}: try again in a few seconds.");
                }

                var png = await response.Content.ReadAsByteArrayAsync(deadline.Token);
                _cache.Set(key, png, new MemoryCacheEntryOptions { Size = png.Length, SlidingExpiration = TimeSpan.FromMinutes(10) });
                return png;
            }
            finally
            {
                _renders.Release();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MapRendererUnavailableException($"The map image took longer than {Timeout.TotalSeconds:0} s: try a smaller image or again later.");
        }
        catch (HttpRequestException ex)
        {
            throw new MapRendererUnavailableException($"The map renderer cannot be reached ({(ex.StatusCode is HttpStatusCode code ? (int)code : ex.HttpRequestError)}): try again in a few seconds, or give the user the viewer URL.");
        }
    }

    public void Dispose()
    {
        _cache.Dispose();
        _renders.Dispose();
    }
}
