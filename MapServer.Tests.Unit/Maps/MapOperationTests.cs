using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;

namespace MapServer.Tests.Unit.Maps;

/// <summary>What each operation declares besides how it applies: the sources it brings and the GeoJSON it carries.</summary>
public sealed class MapOperationTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static readonly JsonElement InlineGeoJson = Json("""{"type":"geojson","data":{"type":"FeatureCollection","features":[]}}""");

    private static readonly StoredSource Stored = new(Json("""{"type":"geojson","data":"/sessions/s/data/abc"}"""), new LayerData("abc", 10, 0));

    [Fact]
    public void A_layer_brings_its_source_and_an_import_brings_the_layer_sources_of_its_style_but_not_the_basemap_or_annotations()
    {
        Assert.Equal([InlineGeoJson], new AddLayer("roads", InlineGeoJson).Sources());

        var style = Json("""
            {"version":8,"layers":[],"sources":{
              "roads":{"type":"vector","url":"https://tiles.example.com/roads.json"},
              "basemap-land":{"type":"geojson","data":"/lib/offline-basemap/land.json"},
              "mapserver-annotations":{"type":"geojson","data":{"type":"FeatureCollection","features":[]}}}}
            """);
        var urls = new ImportMap(style, null, 1_000_000).Sources().Select(s => s.GetProperty("url").GetString());
        Assert.Equal(["https://tiles.example.com/roads.json"], urls);

        var file = new ImportLayers("parks.kml", [new AddLayer("parks", Stored.Source, Data: Stored.Data), new AddLayer("paths", InlineGeoJson)]);
        Assert.Equal(2, file.Sources().Count());
        Assert.Empty(new SetView(Zoom: 3).Sources());
    }

    [Fact]
    public async Task Inline_geojson_is_stored_once_and_what_an_import_already_stored_is_not_stored_again()
    {
        var asked = new List<string>();
        SourceDataStore store = (source, field) =>
        {
            asked.Add(field);
            return Task.FromResult<StoredSource?>(source.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object ? Stored : null);
        };

        var added = (AddLayer)await new AddLayer("roads", InlineGeoJson).WithStoredDataAsync(store);
        Assert.Equal(Stored.Data, added.Data);
        Assert.Equal("/sessions/s/data/abc", added.Source.GetProperty("data").GetString());

        var fromAnImport = new AddLayer("parks", Stored.Source, Data: Stored.Data);
        Assert.Same(fromAnImport, await fromAnImport.WithStoredDataAsync(store));
        var view = new SetView(Zoom: 3);
        Assert.Same(view, await view.WithStoredDataAsync(store));
        Assert.Equal(["source"], asked);

        var style = Json("""{"version":8,"layers":[],"sources":{"a":{"type":"geojson","data":{"type":"FeatureCollection","features":[]}},"b":{"type":"raster","tiles":["https://t.example.com/{z}/{x}/{y}.png"]}}}""");
        var imported = (ImportMap)await new ImportMap(style, null, 1_000_000).WithStoredDataAsync(store);
        Assert.Equal(["a"], imported.StoredSources!.Keys);
        Assert.Contains("style.sources.a", asked);
    }

    [Fact]
    public void Each_operation_says_what_it_did_for_history_and_viewers()
    {
        Assert.Equal("added layer 'roads'", new AddLayer("roads", InlineGeoJson).Describe());
        Assert.Equal("moved layer 'roads' above 'parks'", new MoveLayer("roads", LayerPosition.Above, "parks").Describe());
        Assert.Equal("undo of v3 (added layer 'roads')", new StepHistory(HistoryStep.Undo, 3, "added layer 'roads'", Json("{}")).Describe());
        Assert.Equal(3, new StepHistory(HistoryStep.Undo, 3, "x", Json("{}")).TargetVersion);
        Assert.Null(new ClearMap().TargetVersion);
    }
}
