using System.Text.Json;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;

namespace MapServer.Tests.Unit.Maps;

public sealed class MapReducerTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static readonly JsonElement PointsSource = Json("""
        {"type":"geojson","data":{"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[2.35,48.85]},"properties":{"name":"Paris"}}]}}
        """);

    private static MapState WithPoints(string layerId = "cities") =>
        MapReducer.Apply(MapState.Initial, new AddLayer(layerId, PointsSource, Title: "Cities"));

    [Fact]
    public void Every_change_bumps_the_version_by_one()
    {
        var state = MapReducer.Apply(MapState.Initial, new SetView(Zoom: 4));
        state = MapReducer.Apply(state, new SetView(Pitch: 30));
        Assert.Equal(2, state.Version);
        Assert.Equal(4, state.Zoom);
        Assert.Equal(30, state.Pitch);
    }

    [Fact]
    public void Set_view_changes_only_the_given_parts()
    {
        var state = MapReducer.Apply(MapState.Initial, new SetView(Center: [13.4, 52.52], Zoom: 10, Bearing: 45, Pitch: 60));
        state = MapReducer.Apply(state, new SetView(Zoom: 12));
        Assert.Equal([13.4, 52.52], state.Center);
        Assert.Equal(12, state.Zoom);
        Assert.Equal(45, state.Bearing);
        Assert.Equal(60, state.Pitch);
    }

    public static TheoryData<MapOperation, string> InvalidViews => new()
    {
        { new SetView(Center: [200, 0]), "longitude" },
        { new SetView(Center: [0, -91]), "latitude" },
        { new SetView(Center: [1]), "center must be [longitude, latitude]" },
        { new SetView(Zoom: 25), "zoom must be between 0 and 24" },
        { new SetView(Zoom: -1), "zoom must be between 0 and 24" },
        { new SetView(Pitch: 86), "pitch must be between 0 and 85" },
        { new SetView(Bearing: 400), "bearing" },
        { new SetView(), "at least one of" },
        { new FitBounds([10, 50, 5]), "bbox must be [west, south, east, north]" },
        { new FitBounds([0, 60, 10, 50]), "south must not be greater than north" },
        { new SetBasemap("moon"), "basemap 'moon' is unknown" },
    };

    [Theory]
    [MemberData(nameof(InvalidViews))]
    public void Invalid_view_is_rejected_with_the_field_and_range(MapOperation operation, string message)
    {
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(MapState.Initial, operation));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Fit_bounds_centers_on_the_box_at_a_zoom_that_contains_it()
    {
        var state = MapReducer.Apply(MapState.Initial, new FitBounds([-0.51, 51.28, 0.33, 51.69]));
        Assert.Equal(-0.09, state.Center[0], 2);
        Assert.Equal(51.48546, state.Center[1], 4); // the Mercator middle, a little north of the mean latitude
        Assert.InRange(state.Zoom, 8, 11);
    }

    [Fact]
    public void Fit_bounds_of_a_tall_box_centres_on_its_mercator_middle_and_keeps_the_box_for_each_viewer_to_fit()
    {
        var state = MapReducer.Apply(MapState.Initial, new FitBounds([-10, 35, 30, 72], Padding: 20));

        Assert.Equal(10, state.Center[0], 6);
        Assert.Equal(57.96, state.Center[1], 2); // MapLibre's fitBounds centres here; the mean latitude would be 53.5
        Assert.Equal([-10, 35, 30, 72], state.Bounds!.Bbox);
        Assert.Equal(20, state.Bounds.Padding);
        Assert.Null(MapReducer.Apply(state, new SetView(Zoom: 4)).Bounds); // a view set by hand replaces the box
    }

    [Fact]
    public void Geojson_layer_without_style_layers_gets_fill_line_and_circle_defaults()
    {
        var state = WithPoints();
        var layer = state.Layers["cities"];
        Assert.Equal(["cities-fill", "cities-line", "cities-circle"], layer.Layers.Select(l => l.GetProperty("id").GetString()));
        Assert.All(layer.Layers, l => Assert.Equal("cities", l.GetProperty("source").GetString()));
        Assert.Equal(["cities"], state.LayerOrder);
        Assert.Equal("Cities", layer.Title);
        Assert.NotNull(layer.LegendColor);
    }

    [Fact]
    public void Raster_and_pmtiles_vector_sources_are_accepted()
    {
        var state = MapReducer.Apply(MapState.Initial, new AddLayer("osm", Json("""{"type":"raster","tiles":["https://tile.openstreetmap.org/{z}/{x}/{y}.png"],"tileSize":256}""")));
        state = MapReducer.Apply(state, new AddLayer("buildings",
            Json("""{"type":"vector","url":"pmtiles://https://example.com/buildings.pmtiles"}"""),
            [Json("""{"type":"fill","source-layer":"buildings","paint":{"fill-color":"#888"}}""")]));
        Assert.Equal("raster", state.Layers["osm"].Layers[0].GetProperty("type").GetString());
        Assert.Equal("buildings-fill", state.Layers["buildings"].Layers[0].GetProperty("id").GetString());
        Assert.Equal(["osm", "buildings"], state.LayerOrder);
    }

    public static TheoryData<string, string?, string> InvalidLayers => new()
    {
        { """{"type":"shapefile"}""", null, "source.type must be one of" },
        { """{"type":"geojson"}""", null, "needs data" },
        { """{"type":"raster"}""", null, "needs 'tiles'" },
        { """{"type":"vector","url":"pmtiles://x"}""", null, "needs explicit layers" },
        { """{"type":"vector","url":"pmtiles://x"}""", """{"type":"fill"}""", "source-layer" },
        { """{"type":"raster","tiles":["https://t/{z}/{x}/{y}.png"]}""", """{"type":"polygon"}""", "layers[0].type must be one of" },
        { """{"type":"geojson","data":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}""", null, "must be closed" },
        { """{"type":"geojson","data":{"type":"Point","coordinates":[0]}}""", null, "a position is [longitude, latitude]" },
        { """{"type":"geojson","data":{"type":"Point","coordinates":[0,95]}}""", null, "latitude" },
        { """{"type":"geojson","data":{"type":"Circle","coordinates":[0,0]}}""", null, "is not a GeoJSON geometry" },
        { """{"type":"geojson","data":{"type":"LineString","coordinates":[[0,0]]}}""", null, "at least two positions" },
    };

    [Theory]
    [MemberData(nameof(InvalidLayers))]
    public void Invalid_layer_is_rejected_and_changes_nothing(string source, string? styleLayer, string message)
    {
        var before = WithPoints();
        var layers = styleLayer is null ? null : new List<JsonElement> { Json(styleLayer) };
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(before, new AddLayer("other", Json(source), layers)));
        Assert.Contains(message, error.Message);
        Assert.Equal(1, before.Version);
        Assert.Single(before.Layers);
    }

    [Fact]
    public void Adding_an_existing_layer_id_needs_replace()
    {
        var state = WithPoints();
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(state, new AddLayer("cities", PointsSource)));
        Assert.Contains("replace=true", error.Message);

        var replaced = MapReducer.Apply(state, new AddLayer("cities", PointsSource, Title: "Towns", Replace: true));
        Assert.Equal("Towns", replaced.Layers["cities"].Title);
        Assert.Equal(["cities"], replaced.LayerOrder);
    }

    [Fact]
    public void Remove_layer_drops_it_from_layers_and_order()
    {
        var state = MapReducer.Apply(WithPoints(), new RemoveLayer("cities"));
        Assert.Empty(state.Layers);
        Assert.Empty(state.LayerOrder);
    }

    [Theory]
    [InlineData(LayerVisibility.Hide, false)]
    [InlineData(LayerVisibility.Show, true)]
    [InlineData(LayerVisibility.Toggle, false)]
    public void Toggle_layer_sets_visibility(LayerVisibility visibility, bool visible) =>
        Assert.Equal(visible, MapReducer.Apply(WithPoints(), new ToggleLayer("cities", visibility)).Layers["cities"].Visible);

    [Fact]
    public void Operations_on_a_missing_layer_name_the_existing_ones()
    {
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(WithPoints(), new ToggleLayer("roads", LayerVisibility.Hide)));
        Assert.Contains("existing layers: cities", error.Message);
    }

    [Fact]
    public void Filter_applies_to_one_style_layer_and_null_clears_it()
    {
        var filtered = MapReducer.Apply(WithPoints(), new FilterLayer("cities", Json("""["==",["get","name"],"Paris"]"""), "cities-circle"));
        Assert.Equal(["cities-circle"], filtered.Layers["cities"].Filters.Keys);

        var cleared = MapReducer.Apply(filtered, new FilterLayer("cities", null, "cities-circle"));
        Assert.Empty(cleared.Layers["cities"].Filters);
    }

    [Fact]
    public void Filter_that_is_not_an_expression_is_rejected()
    {
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(WithPoints(), new FilterLayer("cities", Json("""{"name":"Paris"}"""))));
        Assert.Contains("MapLibre expression array", error.Message);
    }

    [Fact]
    public void Paint_goes_only_to_style_layers_of_the_matching_type()
    {
        var state = MapReducer.Apply(WithPoints(), new SetLayerPaint("cities", "circle-color", Json("""["match",["get","name"],"Paris","#f00","#00f"]""")));
        Assert.Equal(["cities-circle"], state.Layers["cities"].Paint.Keys);
        Assert.Equal(JsonValueKind.Array, state.Layers["cities"].Paint["cities-circle"]["circle-color"].ValueKind);
    }

    [Fact]
    public void Paint_property_of_another_type_is_rejected_with_the_types_that_exist()
    {
        var raster = MapReducer.Apply(MapState.Initial, new AddLayer("osm", Json("""{"type":"raster","tiles":["https://t/{z}/{x}/{y}.png"]}""")));
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(raster, new SetLayerPaint("osm", "line-color", Json("\"red\""))));
        Assert.Contains("types: raster", error.Message);
    }

    [Fact]
    public void Layout_visibility_applies_to_every_style_layer()
    {
        var state = MapReducer.Apply(WithPoints(), new SetLayerLayout("cities", "visibility", Json("\"none\"")));
        Assert.Equal(3, state.Layers["cities"].Layout.Count);
    }

    [Fact]
    public void Reset_layer_style_drops_filters_paint_and_layout()
    {
        var state = MapReducer.Apply(WithPoints(), new SetLayerPaint("cities", "circle-radius", Json("10")));
        state = MapReducer.Apply(state, new FilterLayer("cities", Json("""["has","name"]""")));
        state = MapReducer.Apply(state, new ResetLayerStyle("cities"));
        Assert.Empty(state.Layers["cities"].Paint);
        Assert.Empty(state.Layers["cities"].Filters);
    }

    [Fact]
    public void Opacity_outside_zero_to_one_is_rejected()
    {
        Assert.Equal(0.5, MapReducer.Apply(WithPoints(), new SetLayerOpacity("cities", 0.5)).Layers["cities"].Opacity);
        Assert.Throws<MapOperationException>(() => MapReducer.Apply(WithPoints(), new SetLayerOpacity("cities", 1.5)));
    }

    [Fact]
    public void Layer_order_moves_above_below_top_and_bottom()
    {
        var state = MapReducer.Apply(WithPoints("a"), new AddLayer("b", PointsSource));
        state = MapReducer.Apply(state, new AddLayer("c", PointsSource));
        Assert.Equal(["b", "a", "c"], MapReducer.Apply(state, new MoveLayer("b", LayerPosition.Bottom)).LayerOrder);
        Assert.Equal(["b", "c", "a"], MapReducer.Apply(state, new MoveLayer("a", LayerPosition.Top)).LayerOrder);
        Assert.Equal(["a", "c", "b"], MapReducer.Apply(state, new MoveLayer("b", LayerPosition.Above, "c")).LayerOrder);
        Assert.Equal(["c", "a", "b"], MapReducer.Apply(state, new MoveLayer("c", LayerPosition.Below, "a")).LayerOrder);
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(state, new MoveLayer("a", LayerPosition.Above, "zzz")));
        Assert.Contains("relative_to", error.Message);
    }

    [Fact]
    public void Annotations_are_added_replaced_and_removed_by_id()
    {
        var marker = new MapAnnotation { Kind = AnnotationKind.Marker, Geometry = Json("""{"type":"Point","coordinates":[2.35,48.85]}"""), Label = "Paris" };
        var state = MapReducer.Apply(MapState.Initial, new PutAnnotation("paris", marker));
        state = MapReducer.Apply(state, new PutAnnotation("paris", marker with { Label = "Paris, France", Color = "#00f" }));
        Assert.Equal("Paris, France", state.Annotations["paris"].Label);
        state = MapReducer.Apply(state, new RemoveAnnotation("paris"));
        Assert.Empty(state.Annotations);
        Assert.Throws<MapOperationException>(() => MapReducer.Apply(state, new RemoveAnnotation("paris")));
    }

    public static TheoryData<AnnotationKind, string, string?, double?, string> InvalidAnnotations => new()
    {
        { AnnotationKind.Marker, """{"type":"LineString","coordinates":[[0,0],[1,1]]}""", null, null, "needs a Point geometry" },
        { AnnotationKind.Line, """{"type":"Point","coordinates":[0,0]}""", null, null, "needs a LineString geometry" },
        { AnnotationKind.Marker, """{"type":"Point","coordinates":[0,0]}""", "not-a-colour", null, "is not a colour" },
        { AnnotationKind.Circle, """{"type":"Point","coordinates":[0,0]}""", null, null, "radius_meters" },
        { AnnotationKind.Polygon, """{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}""", null, null, "must be closed" },
    };

    [Theory]
    [MemberData(nameof(InvalidAnnotations))]
    public void Invalid_annotation_is_rejected(AnnotationKind kind, string geometry, string? color, double? radius, string message)
    {
        var annotation = new MapAnnotation { Kind = kind, Geometry = Json(geometry), Color = color ?? "#e11d48", RadiusMeters = radius };
        var error = Assert.Throws<MapOperationException>(() => MapReducer.Apply(MapState.Initial, new PutAnnotation("a1", annotation)));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("-leading-dash")]
    public void Unsafe_ids_are_rejected(string id) =>
        Assert.Contains("not a valid id", Assert.Throws<MapOperationException>(() => MapReducer.Apply(MapState.Initial, new AddLayer(id, PointsSource))).Message);

    [Fact]
    public void Clear_map_removes_layers_and_annotations_but_keeps_the_view()
    {
        var state = MapReducer.Apply(WithPoints(), new SetView(Zoom: 7));
        state = MapReducer.Apply(state, new ClearMap());
        Assert.Empty(state.Layers);
        Assert.Empty(state.LayerOrder);
        Assert.Equal(7, state.Zoom);
    }
}
