using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace MapServer.Renderer.Rendering;

/// <summary>
/// Headless Chromium with a few tabs kept open on the viewer's render page (/render.html): each image takes a tab, is
/// drawn there by the viewer's own renderer, and is screenshot. Bounded: <see cref="RendererOptions.Pages"/> at once,
/// <see cref="RendererOptions.QueueLimit"/> waiting, each within <see cref="RendererOptions.RenderTimeout"/>. A tab that
/// fails or times out is closed (a new one opens next time); a browser that died is started again.
/// </summary>
public sealed class ChromiumPool(IOptions<RendererOptions> options, ILogger<ChromiumPool> logger) : IAsyncDisposable
{
    private readonly RendererOptions _options = options.Value;
    private readonly SemaphoreSlim _tabs = new(options.Value.Pages, options.Value.Pages);
    private readonly SemaphoreSlim _starting = new(1, 1);
    private readonly ConcurrentBag<IPage> _idle = [];
    private int _requests;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    /// <summary>Why the last start of Chromium failed, or null.</summary>
    public string? Problem { get; private set; }

    public bool IsRunning => _browser?.IsConnected == true;

    /// <summary>Starts Chromium now, so the first image does not wait for it (and health says at once whether it can).</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await BrowserAsync(cancellationToken);
        }
        catch (RendererUnavailableException ex)
        {
            logger.LogWarning("The map renderer cannot draw: {Problem}", ex.Message);
        }
    }

    /// <summary>
    /// Starts Chromium and opens a tab that has drawn an empty map once (the offline basemap loaded, the map's shaders
    /// compiled), so the first image waits for none of that; a viewer that is not up yet leaves it to the first image.
    /// </summary>
    public async Task OpenFirstTabAsync(CancellationToken cancellationToken)
    {
        try
        {
            var page = await OpenTabAsync(cancellationToken);
            var empty = new RenderRequest(System.Text.Json.JsonSerializer.SerializeToElement(new { version = 0, basemap = "blank" }, RendererJson.Options), 256, 256);
            await page.EvaluateAsync("json => window.drawMap(JSON.parse(json))", DrawArguments(empty)).WaitAsync(_options.RenderTimeout, cancellationToken);
            _idle.Add(page);
        }
        catch (Exception ex) when (ex is RendererUnavailableException or PlaywrightException or TimeoutException)
        {
            logger.LogInformation("No tab made ready ahead of the first image: {Problem}", ex.Message);
        }
    }

    /// <summary>The PNG of <paramref name="request"/>.</summary>
    /// <exception cref="RendererUnavailableException">Busy, timed out, or Chromium cannot run.</exception>
    public async Task<byte[]> RenderAsync(RenderRequest request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _requests) > _options.Pages + _options.QueueLimit)
        {
            Interlocked.Decrement(ref _requests);
            throw new RendererUnavailableException($"The map renderer is busy ({_options.Pages} images being drawn, {_options.QueueLimit} waiting): try again in a few seconds.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RenderTimeout);
        var tookTab = false;
        IPage? page = null;
        try
        {
            await _tabs.WaitAsync(deadline.Token);
            tookTab = true;
            page = _idle.TryTake(out var open) && !open.IsClosed ? open : await OpenTabAsync(deadline.Token);
            await page.SetViewportSizeAsync(request.Width, request.Height).WaitAsync(deadline.Token);
            await page.EvaluateAsync("json => window.drawMap(JSON.parse(json))", DrawArguments(request)).WaitAsync(deadline.Token);
            var png = await page.Locator("#map").ScreenshotAsync(new() { Type = ScreenshotType.Png, Timeout = (float)_options.SettleTimeout.TotalMilliseconds }).WaitAsync(deadline.Token);
            _idle.Add(page);
            page = null;
            return png;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new RendererUnavailableException($"The map image took longer than {_options.RenderTimeout.TotalSeconds:0} s: try a smaller image or again later.");
        }
        catch (PlaywrightException ex)
        {
            logger.LogWarning(ex, "A render tab failed");
            throw new RendererUnavailableException($"The map renderer failed to draw this map ({ex.Message.Split('\n')[0]}): try again.");
        }
        finally
        {
            if (page is not null)
            {
                await CloseQuietlyAsync(page); // failed or timed out: never reused
            }

            if (tookTab)
            {
                _tabs.Release();
            }

            Interlocked.Decrement(ref _requests);
        }
    }

    private string DrawArguments(RenderRequest request) => System.Text.Json.JsonSerializer.Serialize(new
    {
        state = request.State,
        width = request.Width,
        height = request.Height,
        scheme = request.Scheme,
        camera = request.Camera is { } c ? new { center = c.Center, zoom = c.Zoom, bearing = c.Bearing, pitch = c.Pitch } : null,
        bbox = request.Bbox,
        settleMs = (int)_options.SettleTimeout.TotalMilliseconds,
    }, RendererJson.Options);

    private async Task<IPage> OpenTabAsync(CancellationToken cancellationToken)
    {
        var browser = await BrowserAsync(cancellationToken);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 800, Height = 600 } });
        try
        {
            var viewer = new Uri(_options.ViewerUrl);
            // The page fetches what the state names (tiles, GeoJSON, PMTiles): the viewer's origin, and public hosts only.
            await page.RouteAsync("**/*", route => IsAllowed(new Uri(route.Request.Url), viewer) ? route.ContinueAsync() : route.AbortAsync("blockedbyclient"));
            var response = await page.GotoAsync(new Uri(viewer, "/render.html").ToString(), new() { Timeout = (float)_options.SettleTimeout.TotalMilliseconds });
            if (response is not { Ok: true })
            {
                throw new RendererUnavailableException($"The viewer's render page answered {response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}: is the viewer ({_options.ViewerUrl}) up?");
            }

            await page.WaitForFunctionAsync("() => typeof window.drawMap === 'function'", null, new() { Timeout = (float)_options.SettleTimeout.TotalMilliseconds }).WaitAsync(cancellationToken);
            return page;
        }
        catch (PlaywrightException ex)
        {
            await CloseQuietlyAsync(page);
            throw new RendererUnavailableException($"The map renderer cannot open the viewer's render page at {_options.ViewerUrl} ({ex.Message.Split('\n')[0]}).");
        }
        catch
        {
            await CloseQuietlyAsync(page);
            throw;
        }
    }

    /// <summary>The viewer's origin, and http(s) hosts that are not loopback, private or link-local addresses.</summary>
    internal static bool IsAllowed(Uri url, Uri viewer)
    {
        if (url.Scheme is "data" or "blob" || (url.Scheme == viewer.Scheme && url.Authority == viewer.Authority))
        {
            return true;
        }

        if (url.Scheme is not ("http" or "https") || url.IsLoopback)
        {
            return false;
        }

        return !IPAddress.TryParse(url.Host.Trim('[', ']'), out var address) || !IsPrivate(address);
    }

    private static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        return IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal
            || (b.Length == 4 && (b[0] == 10 || b[0] == 0 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)));
    }

    private async Task<IBrowser> BrowserAsync(CancellationToken cancellationToken)
    {
        if (_browser is { IsConnected: true } running)
        {
            return running;
        }

        await _starting.WaitAsync(cancellationToken);
        try
        {
            if (_browser is { IsConnected: true } started)
            {
                return started;
            }

            var path = string.IsNullOrWhiteSpace(_options.ChromiumPath) ? null : _options.ChromiumPath;
            if (path is not null && !File.Exists(path))
            {
                Problem = $"Chromium is not at {path}: install it (apt-get install chromium) or set Renderer:ChromiumPath.";
                throw new RendererUnavailableException(Problem);
            }

            _idle.Clear();
            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = path, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
            Problem = null;
            logger.LogInformation("Chromium {Version} started for map images", _browser.Version);
            return _browser;
        }
        catch (PlaywrightException ex)
        {
            Problem = $"Chromium did not start: {ex.Message.Split('\n')[0]}";
            throw new RendererUnavailableException(Problem);
        }
        finally
        {
            _starting.Release();
        }
    }

    private static async Task CloseQuietlyAsync(IPage page)
    {
        try
        {
            await page.CloseAsync();
        }
        catch (PlaywrightException)
        {
            // the browser is gone already
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _tabs.Dispose();
        _starting.Dispose();
    }
}
