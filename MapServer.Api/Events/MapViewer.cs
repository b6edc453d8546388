using System.Threading.Channels;

namespace MapServer.Api.Events;

/// <summary>One viewer's live feed of a session's events, in version order.</summary>
public sealed class MapViewer(MapEventHub hub, string sessionId, Channel<PublishedMapEvent> queue) : IAsyncDisposable
{
    public string SessionId { get; } = sessionId;

    public ChannelReader<PublishedMapEvent> Events => queue.Reader;

    internal void Offer(PublishedMapEvent mapEvent)
    {
        if (!queue.Writer.TryWrite(mapEvent) && queue.Writer.TryComplete(new ViewerTooSlowException()))
        {
            hub.Dropped(this);
        }
    }

    public ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        return new ValueTask(hub.DisconnectAsync(this));
    }
}
