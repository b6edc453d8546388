using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;

namespace MapServer.Tests.Unit.Maps;

/// <summary>Patches worked out from what the reducer replaced equal the diff of the two whole documents.</summary>
public sealed class MapStatePatchTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static JsonObject Document(MapState state) => JsonSerializer.SerializeToNode(state, MapJsonContext.Default.MapState)!.AsObject();

    private static readonly MapAnnotation Marker = new() { Kind = AnnotationKind.Marker, Geometry = Json("""{"type":"Point","coordinates":[2.35,48.85]}"""), Label = "Paris" };

    /// <summary>Every kind of operation, including no-op ones (same value again) and whole-state ones (restore, undo).</summary>
    private static IEnumerable<Func<MapState, MapOperation>> Script()
    {
        yield return _ => new SetView(Center: [13.4, 52.52], Zoom: 10);
        yield return _ => new SetView(Zoom: 10); // the same zoom: nothing but the version changes
        yield return _ => new SetView(Bearing: 30, Pitch: 45);
        yield return _ => new FitBounds([-10, 35, 30, 72]);
        yield return _ => new FitBounds([-10, 35, 30, 72], Padding: 10); // same box, another margin
        yield return _ => new SetView(Zoom: 5); // drops the box
        yield return _ => new SetBasemap("blank");
        yield return _ => new AddLayer("cities", Json("""{"type":"geojson","data":"/sessions/AAAAAAAAAAAAAAAAAAAAAA/data/00"}"""), Title: "Cities",
            Data: new LayerData(new string('a', 64), 2_600_000, 20_000));
        yield return _ => new AddLayer("roads", Json("""{"type":"vector","url":"pmtiles://https://example.com/roads.pmtiles"}"""),
            [Json("""{"type":"line","source-layer":"roads"}""")]);
        yield return _ => new SetLayerPaint("cities", "circle-color", Json("\"#ff0000\""));
        yield return _ => new SetLayerPaint("cities", "circle-color", Json("\"#ff0000\"")); // same value again
        yield return _ => new SetLayerLayout("roads", "line-cap", Json("\"round\""));
        yield return _ => new FilterLayer("cities", Json("""[">", ["get", "population"], 100000]"""));
        yield return _ => new SetLayerOpacity("roads", 0.5);
        yield return _ => new ToggleLayer("cities", LayerVisibility.Hide);
        yield return _ => new MoveLayer("roads", LayerPosition.Bottom);
        yield return _ => new PutAnnotation("paris", Marker);
        yield return _ => new PutAnnotation("paris", Marker with { Label = "Paris, France", Popup = "**capital**" });
        yield return _ => new ResetLayerStyle("cities");
        yield return _ => new AddLayer("cities", Json("""{"type":"geojson","data":"https://example.com/cities.geojson"}"""), Replace: true);
        yield return _ => new RemoveAnnotation("paris");
        yield return _ => new RemoveLayer("roads");
        yield return state => new ImportMap(
            JsonSerializer.SerializeToElement(MapStyleRenderer.Render(state with { Zoom = 3 }, "https://maps.example"), MapJsonContext.Default.JsonObject),
            JsonSerializer.SerializeToElement(MapExport.Annotations(state), MapJsonContext.Default.JsonObject),
            5_000_000);
        yield return _ => new ClearMap();
        yield return _ => new ClearMap(); // already clear
    }

    [Fact]
    public void Patches_from_the_reducer_equal_the_whole_document_diff_both_ways()
    {
        var state = MapState.Initial;
        foreach (var step in Script())
        {
            var operation = step(state);
            var next = MapReducer.Apply(state, operation);
            var (forward, back) = MapStatePatch.Between(state, next);

            var (before, after) = (Document(state), Document(next));
            Assert.True(JsonNode.DeepEquals(JsonMergePatch.Create(before, after), forward), $"{operation.Name}: {forward.ToJsonString()} vs {JsonMergePatch.Create(before, after).ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(JsonMergePatch.Create(after, before), back), $"{operation.Name} back: {back.ToJsonString()}");

            JsonMergePatch.Apply(before, forward);
            Assert.True(JsonNode.DeepEquals(Document(next), before), $"{operation.Name}: the patch does not reproduce the next state");
            state = next;
        }
    }

    [Fact]
    public void Every_state_property_is_one_the_patch_knows()
    {
        // MapStatePatch lists the state's properties one by one: a new property must be added there too.
        string[] known = ["Version", "Center", "Zoom", "Bearing", "Pitch", "Bounds", "Basemap", "Layers", "LayerOrder", "Annotations"];
        Assert.Equal(known.Order(), typeof(MapState).GetProperties().Where(p => p.GetMethod!.IsStatic is false).Select(p => p.Name).Order());
    }
}
