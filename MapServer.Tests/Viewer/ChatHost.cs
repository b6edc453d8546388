using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using MapServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>
/// A chat host that supports MCP Apps, as small as the spec allows: it shows a UI resource in a sandboxed frame (no
/// same-origin: the app gets an opaque origin) under the Content-Security-Policy built from the resource's
/// <c>_meta.ui.csp</c>, answers <c>ui/initialize</c>, sends the tool's input and result once the app is initialized,
/// proxies <c>tools/call</c> to the server only for tools the app may call, and records model-context updates and links
/// the app asks it to open. The app side is the MCP Apps library itself (@modelcontextprotocol/ext-apps), so this host
/// is checked against the real protocol, not against our own idea of it.
/// </summary>
public sealed class ChatHost(IBrowserContext context, IPage page, WebApplication server, ConcurrentQueue<string> errors, ConcurrentQueue<string> console) : IAsyncDisposable
{
    private const string HostPage = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>chat</title><link rel="icon" href="data:,"></head>
        <body style="margin:0">
        <script>
        window.hostLog = { initialized: false, modelContext: [], openedLinks: [], refusedCalls: [], sizes: [] };
        window.startApp = ({ html, csp, toolInput, toolResult, appTools }) => {
            const list = (d) => (d ?? []).join(' ');
            const R = list(csp.resourceDomains), C = list(csp.connectDomains);
            const policy = [
                "default-src 'none'", `script-src 'unsafe-inline' ${R}`, `style-src 'unsafe-inline' ${R}`, `img-src data: blob: ${R}`,
                `font-src ${R}`, `media-src ${R}`, `connect-src ${C}`, 'worker-src blob: data:', "frame-src 'none'", "object-src 'none'", "base-uri 'none'",
            ].join('; ');
            const frame = document.createElement('iframe');
            frame.setAttribute('sandbox', 'allow-scripts');
            frame.style.cssText = 'width:800px;height:480px;border:0';
            frame.srcdoc = html.replace('<head>', `<head><meta http-equiv="Content-Security-Policy" content="${policy}">`);
            const send = (message) => frame.contentWindow.postMessage({ jsonrpc: '2.0', ...message }, '*');
            window.addEventListener('message', async (event) => {
                const m = event.data;
                if (event.source !== frame.contentWindow || m?.jsonrpc !== '2.0' || !m.method) {
                    return;
                }
                const reply = (result) => send({ id: m.id, result });
                const fail = (code, message) => send({ id: m.id, error: { code, message } });
                switch (m.method) {
                    case 'ui/initialize':
                        return reply({
                            protocolVersion: m.params.protocolVersion,
                            hostInfo: { name: 'chat-host', version: '1.0.0' },
                            hostCapabilities: { openLinks: {}, serverTools: {}, updateModelContext: { text: {}, image: {}, structuredContent: {} } },
                            hostContext: { theme: 'light', displayMode: 'inline', containerDimensions: { width: 800, maxHeight: 600 } },
                        });
                    case 'ui/notifications/initialized':
                        window.hostLog.initialized = true;
                        send({ method: 'ui/notifications/tool-input', params: { arguments: toolInput } });
                        send({ method: 'ui/notifications/tool-result', params: toolResult });
                        return;
                    case 'ui/notifications/size-changed':
                        window.hostLog.sizes.push(m.params);
                        return;
                    case 'ui/update-model-context':
                        window.hostLog.modelContext.push(m.params);
                        return reply({});
                    case 'ui/open-link':
                        window.hostLog.openedLinks.push(m.params.url);
                        return reply({});
                    case 'tools/call':
                        if (!appTools.includes(m.params.name)) {
                            window.hostLog.refusedCalls.push(m.params.name);
                            return fail(-32602, `tool ${m.params.name} is not visible to apps`);
                        }
                        try {
                            return reply(JSON.parse(await window.callServerTool(JSON.stringify(m.params))));
                        } catch (e) {
                            return fail(-32603, String(e));
                        }
                    default:
                        if (m.id !== undefined) {
                            fail(-32601, `method ${m.method} not found`);
                        }
                }
            });
            document.body.append(frame);
        };
        </script>
        </body></html>
        """;

    public IPage Page => page;

    public IReadOnlyCollection<string> Errors => errors;

    /// <summary>The app's frame (after <see cref="StartAsync"/>).</summary>
    public IFrame AppFrame => page.Frames.Single(frame => frame != page.MainFrame);

    /// <param name="callServerTool">Runs a <c>tools/call</c> the app sent (params JSON) on the server; returns the result JSON.</param>
    public static async Task<ChatHost> OpenAsync(IBrowser browser, Func<string, Task<string>> callServerTool)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 900, Height = 600 }, ColorScheme = ColorScheme.Light });
        await ViewerHandle.InstallAsync(context);
        var page = await context.NewPageAsync();
        var errors = new ConcurrentQueue<string>();
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            console.Enqueue($"{message.Type}: {message.Text} ({message.Location})");
            if (message.Type is "error" && !message.Text.StartsWith("Failed to load resource: net::", StringComparison.Ordinal))
            {
                errors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) =>
        {
            errors.Enqueue($"page error: {error}");
            console.Enqueue($"page error: {error}");
        };
        await page.ExposeFunctionAsync("callServerTool", callServerTool);
        // A web server of its own (another origin than the viewer's, on loopback like it: browsers keep public pages from
        // reaching loopback addresses, as a real host on the internet reaches a viewer on the internet).
        var (server, address) = await LoopbackServer.StartAsync(web => web.MapGet("/", () => Results.Content(HostPage, "text/html")));
        await page.GotoAsync(address + "/");
        return new ChatHost(context, page, server, errors, console);
    }

    /// <summary>Shows the app: its HTML and <c>_meta.ui.csp</c>, the tool call's input and result, and the tools it may call.</summary>
    public Task StartAsync(string html, JsonNode csp, IReadOnlyDictionary<string, object?> toolInput, CallToolResult toolResult, IEnumerable<string> appTools) =>
        page.EvaluateAsync(
            "a => window.startApp({ ...a, csp: JSON.parse(a.csp), toolInput: JSON.parse(a.toolInput), toolResult: JSON.parse(a.toolResult) })",
            new
            {
                html,
                csp = csp.ToJsonString(),
                toolInput = JsonSerializer.Serialize(toolInput),
                toolResult = JsonSerializer.Serialize(toolResult, McpJsonUtilities.DefaultOptions),
                appTools = appTools.ToArray(),
            });

    public async Task<T> LogAsync<T>(string expression) => await page.EvaluateAsync<T>($"() => window.hostLog.{expression}");

    /// <summary>Waits until <paramref name="predicate"/> (a JS function) is truthy in the app's frame.</summary>
    public async Task WaitInAppAsync(string predicate, object? argument = null) =>
        await Explained(AppFrame.WaitForFunctionAsync(predicate, argument, new FrameWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 50 }), predicate);

    /// <summary>Waits until <paramref name="predicate"/> (a JS function) is truthy in the host page.</summary>
    public async Task WaitInHostAsync(string predicate) =>
        await Explained(page.WaitForFunctionAsync(predicate, null, new PageWaitForFunctionOptions { Timeout = 30_000, PollingInterval = 50 }), predicate);

    /// <summary>A wait that timed out says what the page logged.</summary>
    private async Task Explained(Task wait, string predicate)
    {
        try
        {
            await wait;
        }
        catch (TimeoutException)
        {
            Assert.Fail($"waited 30 s for {predicate}; the host and the app logged:\n{string.Join("\n", console)}");
        }
    }

    /// <summary>Saves a screenshot of the chat to the test output folder and attaches it to the test result.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png") });
        TestContext.Current.AddAttachment(name, bytes, "image/png");
    }

    public void AssertNoErrors() => Assert.True(errors.IsEmpty, $"the host or the app logged errors:\n{string.Join("\n", errors)}");

    public async ValueTask DisposeAsync()
    {
        await context.DisposeAsync();
        await server.DisposeAsync();
    }
}
