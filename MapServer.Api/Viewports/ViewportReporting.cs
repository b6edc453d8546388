using MapServer.Api.Security;
using MapServer.Api.Sessions;

namespace MapServer.Api.Viewports;

/// <summary>Stores what a person's viewer shows, for get_viewport: reported by the viewer page over HTTP and by the map inside a chat as a tool call.</summary>
public sealed class ViewportReporting(IMapSessionStore sessions, IViewportStore viewports, ViewLinks viewLinks, TimeProvider clock)
{
    /// <summary>Stores a sane <paramref name="report"/> (check <see cref="ViewportReport.Problem"/> first); false when no such session exists.</summary>
    /// <param name="sessionOrView">The session id or its read-only view link's token: viewers report too.</param>
    public async Task<bool> StoreAsync(string sessionOrView, ViewportReport report, CancellationToken cancellationToken)
    {
        if (await viewLinks.ResolveAsync(sessionOrView, cancellationToken) is not { } session
            || await sessions.GetAsync(session.SessionId, cancellationToken) is null)
        {
            return false;
        }

        await viewports.SetAsync(session.SessionId, new StoredViewport(report, clock.GetUtcNow()), cancellationToken);
        return true;
    }
}
