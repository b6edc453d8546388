namespace MapServer.Api.Events;

/// <summary>What a replay buffer can answer for a viewer that last saw <c>afterVersion</c>.</summary>
public static class ReplayBuffer
{
    /// <summary>The events after <paramref name="afterVersion"/>, or null when the buffer starts too late to fill the gap.</summary>
    public static IReadOnlyList<PublishedMapEvent>? Since(IReadOnlyList<PublishedMapEvent> buffered, long afterVersion)
    {
        var missed = buffered.Where(e => e.Version > afterVersion).ToList();
        if (missed.Count == 0)
        {
            return missed;
        }

        return missed[0].Version == afterVersion + 1 ? missed : null;
    }
}
