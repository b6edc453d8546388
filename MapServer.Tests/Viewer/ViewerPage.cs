using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>One browser tab on a session's map, with waits phrased in MapLibre's own API.</summary>
public sealed class ViewerPage(IBrowserContext context, IPage page, IResponse? response, ViewerPage.PageProblems problems) : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public IPage Page => page;

    /// <summary>Fails with every console error and uncaught exception the page had, if it had any.</summary>
    public void AssertNoErrors() => Assert.True(problems.Errors.IsEmpty, $"the page logged errors:\n{string.Join("\n", problems.Errors)}");

    /// <summary>The response to the page's own navigation (its headers, e.g. the Content-Security-Policy).</summary>
    public IResponse? Response => response;

    /// <param name="beforeNavigation">Runs on the new page before it navigates: listeners and init scripts.</param>
    public static async Task<ViewerPage> OpenAsync(
        IBrowser browser, Uri viewer, string sessionId, int width = 1280, int height = 800, ColorScheme colorScheme = ColorScheme.Light, Func<IPage, Task>? beforeNavigation = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, ColorScheme = colorScheme });
        await ViewerHandle.InstallAsync(context);
        var page = await context.NewPageAsync();
        var problems = new PageProblems();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                TestContext.Current.SendDiagnosticMessage($"browser: {message.Text}");
            }

            // The browser itself logs every request that fails at the network level ("Failed to load resource: net::...",
            // e.g. the stream and tiles while the network is down, or tile hosts this machine cannot reach): the page cannot
            // prevent those. Everything else logged as an error counts: scripts' errors and HTTP error statuses.
            if (message.Type is "error" && !message.Text.StartsWith("Failed to load resource: net::", StringComparison.Ordinal))
            {
                problems.Errors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Errors.Enqueue($"page error: {error}");
        page.WebSocket += (_, socket) => problems.WebSockets.Enqueue(socket.Url);
        if (beforeNavigation is not null)
        {
            await beforeNavigation(page);
        }

        var response = await page.GotoAsync(new Uri(viewer, $"/map/{sessionId}").ToString());
        var viewerPage = new ViewerPage(context, page, response, problems);
        await viewerPage.WaitAsync("() => window.mapServerViewer?.styleReady && window.mapServerViewer.state !== null && window.mapServerViewer.status === 'connected'");
        return viewerPage;
    }

    /// <summary>Waits until <paramref name="predicate"/> (a JS function) is truthy in the page.</summary>
    public async Task WaitAsync(string predicate, object? argument = null, TimeSpan? deadline = null) =>
        await page.WaitForFunctionAsync(predicate, argument, new PageWaitForFunctionOptions { Timeout = (float)(deadline ?? Deadline).TotalMilliseconds, PollingInterval = 50 });

    public Task WaitForVersionAsync(long version) =>
        WaitAsync("v => window.mapServerViewer.state?.version >= v", version);

    public Task<T> EvaluateAsync<T>(string expression, object? argument = null) => page.EvaluateAsync<T>(expression, argument);

    /// <summary>
    /// Waits until the page is live at <paramref name="version"/> with the marker labelled <paramref name="markerLabel"/>
    /// in its panel, then checks it logged no error and opened no WebSocket on the way.
    /// </summary>
    public async Task ExpectCaughtUpWithoutErrorsAsync(long version, string markerLabel)
    {
        await WaitAsync("v => window.mapServerViewer.status === 'connected' && window.mapServerViewer.state.version === v", version, TimeSpan.FromSeconds(30));
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Show marker {markerLabel} on the map" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("status")).ToContainTextAsync($"Live · v{version}");
        AssertNoErrors();
        Assert.Empty(problems.WebSockets);
    }

    /// <summary>Saves a screenshot to the test output folder and attaches it to the test result.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{name}.png");
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        TestContext.Current.AddAttachment(name, bytes, "image/png");
        return path;
    }

    public static string Js(double value) => value.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync() => await context.DisposeAsync();

    public sealed class PageProblems
    {
        public ConcurrentQueue<string> Errors { get; } = new();

        public ConcurrentQueue<string> WebSockets { get; } = new();
    }
}
