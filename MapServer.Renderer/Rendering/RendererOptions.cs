namespace MapServer.Renderer.Rendering;

/// <summary>The renderer's settings (section <c>Renderer</c>).</summary>
public sealed class RendererOptions
{
    public const string Section = "Renderer";

    /// <summary>The viewer's origin: its /render.html page, scripts, basemap, glyphs and (proxied) layer data.</summary>
    public string ViewerUrl { get; set; } = "http://map-viewer";

    /// <summary>The Chromium to drive (Debian's by default); empty: Playwright's own (the container image's).</summary>
    public string ChromiumPath { get; set; } = "/usr/bin/chromium";

    /// <summary>Tabs kept open on the render page: how many images are drawn at once.</summary>
    public int Pages { get; set; } = 2;

    /// <summary>Requests that may wait for a tab; past that the renderer answers 503 at once.</summary>
    public int QueueLimit { get; set; } = 8;

    /// <summary>The longest one image may take, waiting for a tab included.</summary>
    public TimeSpan RenderTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a drawing waits for tiles before it is taken as it is (a slow tile host must not hold it back).</summary>
    public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Why these settings cannot work, or null.</summary>
    public string? Problem() =>
        !Uri.TryCreate(ViewerUrl, UriKind.Absolute, out var viewer) || viewer.Scheme is not ("http" or "https")
            ? $"Renderer:ViewerUrl must be the viewer's http(s) origin, not '{ViewerUrl}'."
            : Pages is < 1 or > 16 ? "Renderer:Pages must be between 1 and 16."
            : QueueLimit < 0 ? "Renderer:QueueLimit must be 0 or more."
            : RenderTimeout <= TimeSpan.Zero || SettleTimeout <= TimeSpan.Zero || SettleTimeout >= RenderTimeout
                ? "Renderer:RenderTimeout and SettleTimeout must be positive, SettleTimeout the shorter."
            : null;
}
