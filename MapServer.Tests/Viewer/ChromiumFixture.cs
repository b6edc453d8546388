using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>
/// Debian's Chromium driven by Playwright (which cannot download its own browser here). Without
/// /usr/bin/chromium the browser tests skip, unless MAPSERVER_REQUIRE_BROWSER=1 (CI) makes them fail.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>The browser, or a skip (fail in CI) saying why there is none.</summary>
    public IBrowser Browser
    {
        get
        {
            if (_browser is not null)
            {
                return _browser;
            }

            var reason = $"browser tests need Debian's chromium at {ExecutablePath} (apt-get install chromium)";
            if (Environment.GetEnvironmentVariable("MAPSERVER_REQUIRE_BROWSER") == "1")
            {
                Assert.Fail($"{reason}; MAPSERVER_REQUIRE_BROWSER=1 forbids skipping");
            }

            Assert.Skip(reason);
            return null!;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
