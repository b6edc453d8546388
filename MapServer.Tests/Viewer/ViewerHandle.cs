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

    /// <summary>The predicate that a version has been drawn: its User Timing mark exists (map-viewer.js, drawnMark).</summary>
    public const string VersionDrawn = "v => performance.getEntriesByName(`mapserver:drawn v${v}`, 'mark').length > 0";

    public static Task InstallAsync(IBrowserContext context) => context.AddInitScriptAsync(Script);
}
