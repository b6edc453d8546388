using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using MapServer.Api.Events;
using MapServer.Api.Maps;
using MapServer.Api.Security;
using MapServer.Api.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MapServer.Api.Apis;

/// <summary>
/// <c>GET /events</c>: a session's changes as Server-Sent Events. First a <c>snapshot</c> (the whole
/// state), then one <c>change</c> per version (a merge patch). <c>id:</c> is the version, so a
/// reconnecting EventSource sends Last-Event-ID and gets what it missed.
/// </summary>
public static class EventsApi
{
    public const string SessionCookie = "mcp_map_session";
    public const string SnapshotEvent = "snapshot";
    public const string ChangeEvent = "change";
    public const string HeartbeatEvent = "heartbeat";

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(1);

    /// <summary>The retry hint of a stream ended by shutdown: short, the Service has already routed new connections elsewhere.</summary>
    private static readonly TimeSpan ReconnectWhenStopping = TimeSpan.FromMilliseconds(100);

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/events", StreamEvents)
            .RequireRateLimiting(RateLimitServices.EventStreamsPolicy)
            .WithName("StreamMapEvents")
            .WithSummary("Streams a map session's changes as Server-Sent Events.");
        return app;
    }

    public static async Task<Results<ServerSentEventsResult<string>, NotFound<ApiError>, BadRequest<ApiError>>> StreamEvents(
        HttpContext http,
        [FromQuery] string? session,
        [FromQuery] long? lastEventId,
        [FromHeader(Name = "Last-Event-ID")] string? lastEventIdHeader,
        IMapSessionStore store,
        IMapEventFeed events,
        MapEventHub hub,
        SecuritySetup security,
        ViewLinks viewLinks,
        IHostApplicationLifetime lifetime,
        CancellationToken cancellationToken)
    {
        string sessionId;
        string? token = null;
        if (session is not null)
        {
            // The id, or a read-only view token (whose stream never shows the id).
            var resolved = await viewLinks.ResolveAsync(session, cancellationToken);
            if (resolved is null || await store.GetAsync(resolved.Value.SessionId, cancellationToken) is null)
            {
                return TypedResults.NotFound(ApiError.UnknownSession(session));
            }

            (sessionId, token) = resolved.Value;
        }
        else if (security.IsOn)
        {
            return TypedResults.BadRequest(new ApiError(
                "Name the map session: /events?session=<id>.",
                "Open the viewer link an agent gave you; this server creates sessions only for authenticated agents (create_map_session)."));
        }
        else
        {
            // The original server's behaviour: the session in the cookie, else a new one.
            var cookie = http.Request.Cookies[SessionCookie];
            sessionId = MapSessionId.IsWellFormed(cookie) && await store.GetAsync(cookie!, cancellationToken) is not null
                ? cookie!
                : await store.CreateAsync(owner: null, cancellationToken);
            http.Response.Cookies.Append(SessionCookie, sessionId, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
        }

        long? resumeAfter = long.TryParse(lastEventIdHeader, out var fromHeader) ? fromHeader : lastEventId;
        http.Response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer this stream
        http.Response.Headers.CacheControl = "no-cache";
        return TypedResults.ServerSentEvents(Stream(sessionId, token, resumeAfter, store, events, hub, lifetime.ApplicationStopping, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<string>> Stream(
        string sessionId,
        string? viewToken,
        long? resumeAfter,
        IMapSessionStore store,
        IMapEventFeed events,
        MapEventHub hub,
        CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Subscribe before reading state, so nothing applied in between is missed.
        await using var viewer = await hub.ConnectAsync(sessionId, cancellationToken);
        var stream = new ViewerStream(sessionId, viewToken, resumeAfter, store, events);
        if (resumeAfter is not null)
        {
            yield return Heartbeat(); // carries retry: before any change
        }

        await foreach (var item in stream.CatchUpAsync(resumeAfter ?? 0, cancellationToken))
        {
            yield return item;
        }

        while (!stream.SessionGone)
        {
            var next = await NextAsync(viewer, stopping, cancellationToken);
            if (next == Next.Closed)
            {
                yield break;
            }

            if (next == Next.Stopping)
            {
                yield return Heartbeat(ReconnectWhenStopping); // the viewer reconnects at once, to a replica that stays
                yield break;
            }

            if (next == Next.Quiet)
            {
                yield return Heartbeat();
                continue;
            }

            while (!stream.SessionGone && viewer.Events.TryRead(out var mapEvent))
            {
                if (mapEvent.Version <= stream.Sent)
                {
                    continue;
                }

                if (mapEvent.Version == stream.Sent + 1)
                {
                    yield return stream.Send(mapEvent);
                    continue;
                }

                // A gap (e.g. events published while this stream was opening): catch up to this event.
                await foreach (var item in stream.CatchUpAsync(mapEvent.Version, cancellationToken))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>One viewer's stream: the version it has been sent, and how it catches up when it is behind.</summary>
    private sealed class ViewerStream(string sessionId, string? viewToken, long? resumeAfter, IMapSessionStore store, IMapEventFeed events)
    {
        /// <summary>The version the viewer has: what it resumed after, then the last one sent.</summary>
        public long? Sent { get; private set; } = resumeAfter;

        /// <summary>The session was deleted: the stream ends.</summary>
        public bool SessionGone { get; private set; }

        public SseItem<string> Send(PublishedMapEvent change)
        {
            Sent = change.Version;
            return Change(change, sessionId, viewToken);
        }

        /// <summary>
        /// Brings the viewer to <paramref name="version"/> at least: the buffered changes after what it has, or a snapshot of
        /// the whole state where the buffer does not reach that far back (or forward), or the viewer has nothing yet.
        /// </summary>
        public async IAsyncEnumerable<SseItem<string>> CatchUpAsync(long version, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var missed = Sent is { } after ? await events.EventsSinceAsync(sessionId, after, cancellationToken) : null;
            if (missed is not null && (missed.Count > 0 ? missed[^1].Version : Sent) >= version)
            {
                foreach (var change in missed)
                {
                    yield return Send(change);
                }

                yield break;
            }

            var state = await store.GetAsync(sessionId, cancellationToken);
            if (state is null)
            {
                SessionGone = true;
                yield break;
            }

            Sent = state.Version;
            yield return Snapshot(state, sessionId, viewToken);
        }
    }

    private enum Next
    {
        Ready,
        Quiet,
        Closed,
        Stopping,
    }

    /// <summary>Waits for the next event, a heartbeat's turn, the viewer being dropped, or this replica shutting down.</summary>
    private static async Task<Next> NextAsync(MapViewer viewer, CancellationToken stopping, CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping);
        quiet.CancelAfter(HeartbeatInterval);
        try
        {
            return await viewer.Events.WaitToReadAsync(quiet.Token) ? Next.Ready : Next.Closed;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return stopping.IsCancellationRequested ? Next.Stopping : Next.Quiet;
        }
        catch (ViewerTooSlowException)
        {
            return Next.Closed; // the client reconnects with Last-Event-ID and catches up
        }
    }

    private static SseItem<string> Snapshot(MapState state, string sessionId, string? viewToken) =>
        new(ViewLinks.Present(MapChanges.Serialize(state), sessionId, viewToken), SnapshotEvent) { EventId = Id(state.Version), ReconnectionInterval = ReconnectAfter };

    private static SseItem<string> Change(PublishedMapEvent mapEvent, string sessionId, string? viewToken) =>
        new(ViewLinks.PresentEvent(mapEvent.Json, sessionId, viewToken), ChangeEvent) { EventId = Id(mapEvent.Version) };

    private static SseItem<string> Heartbeat(TimeSpan? reconnectAfter = null) =>
        new("{}", HeartbeatEvent) { ReconnectionInterval = reconnectAfter ?? ReconnectAfter };

    private static string Id(long version) => version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
