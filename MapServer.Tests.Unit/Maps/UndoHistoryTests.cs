using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;

namespace MapServer.Tests.Unit.Maps;

public sealed class UndoHistoryTests
{
    private readonly MapChanges _changes = new(TimeProvider.System);
    private readonly List<MapEvent> _events = [];
    private MapState _state = MapState.Initial;

    private void Apply(MapOperation operation)
    {
        var prepared = _changes.Prepare(_state, operation);
        _state = prepared.Change.State;
        _events.Add(JsonSerializer.Deserialize(prepared.Event.Json, MapJsonContext.Default.MapEvent)!);
    }

    private void Undo() => Apply(UndoHistory.Undo(_events, complete: true, depth: 256));

    private void Redo() => Apply(UndoHistory.Redo(_events, depth: 256));

    private static JsonObject Content(MapState state)
    {
        var json = JsonSerializer.SerializeToNode(state, MapJsonContext.Default.MapState)!.AsObject();
        json.Remove("version");
        return json;
    }

    [Fact]
    public void Change_events_carry_an_undo_patch_back_to_the_previous_state()
    {
        Apply(new PutAnnotation("m", new MapAnnotation { Kind = AnnotationKind.Marker, Geometry = JsonDocument.Parse("""{"type":"Point","coordinates":[1,2]}""").RootElement }));
        var undo = _events[0].Undo!.Value;
        Assert.Equal(JsonValueKind.Null, undo.GetProperty("annotations").GetProperty("m").ValueKind);
        Assert.Null(_events[0].Target);
    }

    [Fact]
    public void Undo_and_redo_walk_the_stacks_like_an_editor()
    {
        var initial = Content(_state);
        Apply(new SetView(Zoom: 5));
        var zoomed = Content(_state);
        Apply(new SetBasemap("blank"));

        Undo();
        Assert.True(JsonNode.DeepEquals(zoomed, Content(_state)));
        Assert.Equal(2, _events[^1].Target);
        Undo();
        Assert.True(JsonNode.DeepEquals(initial, Content(_state)));
        Assert.Throws<MapOperationException>(() => UndoHistory.Undo(_events, complete: true, depth: 256));

        Redo();
        Assert.Equal(5, _state.Zoom);
        Assert.Equal("streets", _state.Basemap);
        Redo();
        Assert.Equal("blank", _state.Basemap);
        Assert.Throws<MapOperationException>(() => UndoHistory.Redo(_events, depth: 256));
        Assert.Equal(6, _state.Version);
    }

    [Fact]
    public void An_ordinary_change_clears_the_redo_stack()
    {
        Apply(new SetView(Zoom: 5));
        Undo();
        Apply(new SetView(Zoom: 7));
        var stacks = UndoHistory.Build(_events);
        Assert.Empty(stacks.Undone);
        Assert.Equal([3L], stacks.Done.Select(e => e.Version));
    }

    [Fact]
    public void A_trimmed_buffer_refuses_changes_it_no_longer_holds()
    {
        for (var zoom = 1; zoom <= 4; zoom++)
        {
            Apply(new SetView(Zoom: zoom));
        }

        Apply(UndoHistory.Undo(_events, complete: true, depth: 256)); // undo of v4
        var trimmed = _events.Skip(4).ToList(); // only the undo event is left
        var error = Assert.Throws<MapOperationException>(() => UndoHistory.Undo(trimmed, complete: false, depth: 1));
        Assert.Contains("last 1 recorded changes", error.Message);
        Assert.Contains("v4 can no longer be redone", Assert.Throws<MapOperationException>(() => UndoHistory.Redo(trimmed, depth: 1)).Message);
    }
}
