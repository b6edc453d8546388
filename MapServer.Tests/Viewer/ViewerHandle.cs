using Microsoft.Playwright;

namespace MapServer.Tests.Viewer;

/// <summary>
/// Gives the tests <c>window.mapServerViewer</c>: the viewer a map page's module exports (<c>js/viewer.js</c>, or
/// <c>js/map-app.js</c> in the chat app), imported by an init script in every frame. The pages themselves set no global.
/// </summary>
public static class ViewerHandle
{
    private const string Script = """
        (() => {
            let viewerModule;
            Object.defineProperty(window, 'mapServerViewer', { configurable: true, get: () => viewerModule?.viewer ?? undefined });
            const importViewer = () => {
                const script = document.querySelector('script[type="module"][src*="js/viewer."], script[type="module"][src*="js/map-app."]');
                if (script) {
                    import(script.src).then((module) => { viewerModule = module; }, (error) => console.error("the viewer handle could not import the viewer module", error));
                }
            };
            if (document.readyState === 'loading') {
                document.addEventListener('DOMContentLoaded', importViewer);
            } else {
                importViewer();
            }
        })();
        """;

    /// <summary>The start of a drawn version's User Timing mark, followed by the version (map-viewer.js, drawnMark).</summary>
    public const string DrawnMarkPrefix = "mapserver:drawn v";

    /// <summary>The predicate that a version has been drawn: its mark exists.</summary>
    public const string VersionDrawn = $"v => performance.getEntriesByName('{DrawnMarkPrefix}' + v, 'mark').length > 0";

    /// <summary>Each drawn version's frame time as epoch ms, by version (as text).</summary>
    public const string DrawnTimes = $"""
        () => Object.fromEntries(performance.getEntriesByType('mark')
            .filter(m => m.name.startsWith('{DrawnMarkPrefix}'))
            .map(m => [m.name.slice('{DrawnMarkPrefix}'.length), performance.timeOrigin + m.startTime]))
        """;

    public static Task InstallAsync(IBrowserContext context) => context.AddInitScriptAsync(Script);
}
