using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Tests.Clients;
using MapServer.Tests.Infrastructure;
using MapServer.Tests.Kubernetes;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>
/// The viewer's ES modules: the pure ones through their node tests, and markdown (it builds DOM nodes) where it runs,
/// imported from the viewer's origin into the Chromium the browser tests use.
/// </summary>
[Trait("Tier", "Browser")]
[Collection(AppHostCollection.Name)]
public sealed class ViewerModuleTests(AppHostFixture app, ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private Uri ViewerAddress => app.App.GetEndpoint("map-viewer", "http");

    /// <summary>Runs <paramref name="body"/> (an async function of the imported module) in a page of the viewer's origin.</summary>
    private async Task<JsonElement> RunAsync(string module, string body, object? argument = null)
    {
        var context = await chromium.Browser.NewContextAsync();
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(ViewerAddress, "/not-found").ToString());
            var json = await page.EvaluateAsync<string>(
                $"async argument => {{ const m = await import('/js/{module}'); return JSON.stringify(await ({body})(m, argument)); }}", argument);
            return JsonDocument.Parse(json).RootElement.Clone();
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    /// <summary>
    /// The pure modules (merge-patch, legend, map-style) have their own node tests (<c>MapServer.Web/js-tests</c>, run by
    /// <c>node --test</c> in MapServer.Web): no browser, no app. This runs them in the full suite.
    /// </summary>
    [Fact]
    public async Task Pure_viewer_modules_pass_their_node_tests()
    {
        var node = Tool.Find("node");
        if (node is null)
        {
            NodeClients.SkipOrFail("the viewer's module tests need node (Debian: apt-get install nodejs)");
        }

        var run = await Tool.RunAsync(node, ["--test"], Path.Combine(Repository.Root, "MapServer.Web"), TimeSpan.FromMinutes(2));

        Assert.True(run.ExitCode == 0, run.Describe("node --test (MapServer.Web/js-tests)"));
        Assert.Contains("# fail 0", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markdown_shows_html_as_text_and_only_https_links()
    {
        var result = await RunAsync("markdown.js", """
            m => { const div = document.createElement('div'); div.append(m.markdownToNodes('<img src=x onerror=alert(1)> **bold**\n\n- [site](https://example.com)\n- [bad](javascript:alert(1))')); return div.innerHTML; }
            """);
        var html = result.GetString()!;
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt; <strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li><a href=\"https://example.com\" target=\"_blank\" rel=\"noopener noreferrer\">site</a></li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.Ordinal);
    }
}
