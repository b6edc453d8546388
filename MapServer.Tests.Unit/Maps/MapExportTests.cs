using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;

namespace MapServer.Tests.Unit.Maps;

public sealed class MapExportTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private const string Origin = "https://maps.example";

    private static JsonObject Style(MapState state) => MapStyleRenderer.Render(state, Origin);

    private static JsonElement Element(JsonObject node) => JsonSerializer.SerializeToElement(node, MapJsonContext.Default.JsonObject);

    private static MapState Sample()
    {
        var state = MapReducer.Apply(MapState.Initial, new AddLayer("roads", Json("""{"type":"vector","tiles":["https://example.com/{z}/{x}/{y}.pbf"]}"""),
            [Json("""{"type":"line","source-layer":"roads","paint":{"line-width":2,"line-opacity":0.5}}""")], Title: "Roads"));
        state = MapReducer.Apply(state, new SetLayerOpacity("roads", 0.5));
        state = MapReducer.Apply(state, new ToggleLayer("roads", LayerVisibility.Hide));
        state = MapReducer.Apply(state, new SetLayerLayout("roads", "line-cap", Json("\"round\"")));
        state = MapReducer.Apply(state, new PutAnnotation("c", new MapAnnotation { Kind = AnnotationKind.Circle, Geometry = Json("""{"type":"Point","coordinates":[0,0]}"""), RadiusMeters = 1000, Label = "C" }));
        return MapReducer.Apply(state, new SetView([10, 20], 5, 30, 10));
    }

    [Fact]
    public void Style_from_the_viewer_renderer_bakes_in_overrides_opacity_and_visibility()
    {
        var style = Style(Sample());
        var roads = style["layers"]!.AsArray().Single(l => (string?)l!["id"] == "roads-line")!;
        Assert.Equal(0.25, roads["paint"]!["line-opacity"]!.GetValue<double>());
        Assert.Equal("none", (string?)roads["layout"]!["visibility"]);
        Assert.Equal("round", (string?)roads["layout"]!["line-cap"]);
        Assert.Equal("roads", (string?)roads["source"]);
        Assert.Equal("https://tile.openstreetmap.org/{z}/{x}/{y}.png", (string?)style["sources"]!["basemap-raster"]!["tiles"]![0]);
        Assert.Equal(30, style["bearing"]!.GetValue<double>());
        // The offline basemap and the label glyphs come from the viewer's origin.
        Assert.Equal($"{Origin}/lib/offline-basemap/land.json", (string?)style["sources"]!["basemap-land"]!["data"]);
        Assert.Equal($"{Origin}/glyphs/{{fontstack}}/{{range}}.pbf", (string?)style["glyphs"]);
        // A circle is drawn as the polygon of its radius on the ground: 1 km from its centre at the equator.
        var circle = style["sources"]![MapExport.Names.AnnotationSource]!["data"]!["features"]![0]!["geometry"]!;
        Assert.Equal("Polygon", (string?)circle["type"]);
        Assert.Equal(1000 / 111_195.08, circle["coordinates"]![0]![0]![1]!.GetValue<double>(), 6);
    }

    [Fact]
    public void Names_shared_with_the_import_are_the_ones_the_rendered_style_uses()
    {
        var names = MapExport.Names;
        var style = Style(Sample());
        var sources = style["sources"]!.AsObject();
        var layers = style["layers"]!.AsArray().Select(l => (string)l!["id"]!).ToList();

        Assert.Equal("mapserver-annotations", names.AnnotationSource);
        Assert.True(sources.ContainsKey(names.AnnotationSource));
        Assert.All(sources.Select(s => s.Key).Where(id => id != "roads" && id != names.AnnotationSource), id => Assert.StartsWith(names.BasemapPrefix, id));
        Assert.Contains(layers, id => id.StartsWith(names.AnnotationLayerPrefix, StringComparison.Ordinal));
        Assert.Equal("Roads", (string?)style["metadata"]![names.LayersKey]!["roads"]!["title"]);
        Assert.Equal("streets", (string?)style["metadata"]![names.BasemapKey]);
    }

    [Fact]
    public void Blank_basemap_has_no_raster_source()
    {
        var style = Style(MapReducer.Apply(MapState.Initial, new SetBasemap("blank")));
        Assert.False(style["sources"]!.AsObject().ContainsKey("basemap-raster"));
        Assert.True(style["sources"]!.AsObject().ContainsKey("basemap-land"));
    }

    [Fact]
    public void Import_of_an_export_renders_the_same_map()
    {
        var original = Sample();
        var style = Style(original);
        var annotations = MapExport.Annotations(original);
        var imported = new ImportMap(Element(style), Element(annotations), 5_000_000).ApplyTo(MapState.Initial);

        Assert.False(imported.Layers["roads"].Visible);
        Assert.Equal("Roads", imported.Layers["roads"].Title);
        Assert.Equal(original.Annotations.Keys, imported.Annotations.Keys);
        Assert.Equal(original.Center, imported.Center);
        Assert.True(JsonNode.DeepEquals(style, Style(imported)));
        Assert.True(JsonNode.DeepEquals(annotations, MapExport.Annotations(imported)));
    }

    [Fact]
    public void Import_keeps_what_is_not_given_and_rejects_bad_parts()
    {
        var original = Sample();
        var onlyAnnotations = new ImportMap(null, Json("""{"type":"FeatureCollection","features":[]}"""), 5_000_000).ApplyTo(original);
        Assert.Empty(onlyAnnotations.Annotations);
        Assert.Equal(original.Layers.Keys, onlyAnnotations.Layers.Keys);

        Assert.Throws<MapOperationException>(() => new ImportMap(null, null, 5_000_000).ApplyTo(original));
        Assert.Contains("draws no source", Assert.Throws<MapOperationException>(() => new ImportMap(Json("""{"version":8,"sources":{},"layers":[{"id":"bg","type":"background"}]}"""), null, 5_000_000).ApplyTo(original)).Message);
        Assert.Contains("limit", Assert.Throws<MapOperationException>(() => new ImportMap(null, Element(MapExport.Annotations(original)), 10).ApplyTo(original)).Message);
    }
}
