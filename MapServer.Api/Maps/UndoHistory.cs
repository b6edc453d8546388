using MapServer.Api.Maps.Operations;

namespace MapServer.Api.Maps;

/// <summary>
/// Works out what undo and redo mean from the buffered change events alone, as editors do: every
/// ordinary change pushes onto the undo stack and clears the redo stack; an undo moves the change it
/// reverted onto the redo stack, a redo moves it back. Pure: the events in, an operation out.
/// </summary>
public static class UndoHistory
{
    /// <summary>An entry of a stack: the change's version and its event, or no event when it is older than the buffer.</summary>
    public sealed record Entry(long Version, MapEvent? Change);

    /// <summary>The undo stack (last = next to undo) and the redo stack (last = next to redo).</summary>
    public sealed record Stacks(IReadOnlyList<Entry> Done, IReadOnlyList<Entry> Undone);

    /// <summary>Replays the buffered events, oldest first, into the two stacks.</summary>
    public static Stacks Build(IEnumerable<MapEvent> events)
    {
        var done = new List<Entry>();
        var undone = new List<Entry>();
        foreach (var change in events)
        {
            switch (change.Op)
            {
                case "undo":
                    Move(done, undone, change.Target);
                    break;
                case "redo":
                    Move(undone, done, change.Target);
                    break;
                default:
                    done.Add(new Entry(change.Version, change));
                    undone.Clear();
                    break;
            }
        }

        return new Stacks(done, undone);
    }

    /// <summary>
    /// The operation that undoes the most recent change not yet undone. <paramref name="complete"/> says
    /// whether the buffer still starts at the session's first change. Throws when there is nothing to undo.
    /// </summary>
    public static StepHistory Undo(IReadOnlyList<MapEvent> events, bool complete, int depth)
    {
        var done = Build(events).Done;
        if (done.Count == 0)
        {
            throw new MapOperationException(complete
                ? "there is nothing to undo: no change has been made to this map yet (or every change is already undone; call redo to re-apply)."
                : $"there is nothing more to undo: undo reaches back only over the last {depth} recorded changes of the session, undos and redos included.");
        }

        var entry = done[^1];
        return entry.Change?.Undo is { } undo
            ? new StepHistory(HistoryStep.Undo, entry.Version, entry.Change.Summary, undo)
            : throw TooOld(entry.Version, depth, "undone");
    }

    /// <summary>The operation that re-applies the most recently undone change. Throws when there is nothing to redo.</summary>
    public static StepHistory Redo(IReadOnlyList<MapEvent> events, int depth)
    {
        var undone = Build(events).Undone;
        if (undone.Count == 0)
        {
            throw new MapOperationException(
                "there is nothing to redo: redo only re-applies changes undone since the last ordinary change (a new change clears what could be redone).");
        }

        var entry = undone[^1];
        return entry.Change is { } change
            ? new StepHistory(HistoryStep.Redo, entry.Version, change.Summary, change.Patch)
            : throw TooOld(entry.Version, depth, "redone");
    }

    private static MapOperationException TooOld(long version, int depth, string verb) =>
        new($"change v{version} can no longer be {verb}: undo and redo reach back only over the last {depth} recorded changes of the session, undos and redos included.");

    private static void Move(List<Entry> from, List<Entry> to, long? version)
    {
        if (version is not { } target)
        {
            return;
        }

        var index = from.FindLastIndex(e => e.Version == target);
        if (index >= 0)
        {
            to.Add(from[index]);
            from.RemoveAt(index);
        }
        else if (!to.Exists(e => e.Version == target))
        {
            to.Add(new Entry(target, null)); // stepped over a change older than the buffer
        }
    }
}
