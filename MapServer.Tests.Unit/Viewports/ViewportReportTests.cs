using System.Text.Json;
using MapServer.Api.Viewports;

namespace MapServer.Tests.Unit.Viewports;

public sealed class ViewportReportTests
{
    private static ViewportReport Paris(JsonElement? clicked = null) => new([2.2, 48.8, 2.5, 48.9], 11, [2.35, 48.85], clicked);

    [Fact]
    public void A_sane_viewport_has_no_problem() => Assert.Null(Paris().Problem());

    [Fact]
    public void A_clicked_feature_nested_deeper_than_a_feature_can_be_is_refused_before_it_is_stored()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);
        Assert.Contains("nest at most", Paris(JsonDocument.Parse(nested).RootElement).Problem());
        Assert.Null(Paris(JsonDocument.Parse("""{"type":"Feature","properties":{"name":"Louvre","tags":{"kind":["museum"]}}}""").RootElement).Problem());
    }

    [Fact]
    public void A_viewport_across_the_antimeridian_as_maplibre_reports_it_is_accepted() =>
        Assert.Null(new ViewportReport([170, -20, 190, 10], 4, [180, -5]).Problem());

    [Theory]
    [InlineData(new[] { 1.0, 2.0, 3.0 }, "bounds")]
    [InlineData(new[] { 2.0, 49.0, 3.0, 48.0 }, "latitudes")]
    [InlineData(new[] { 2.0, -91.0, 3.0, 48.0 }, "latitudes")]
    [InlineData(new[] { 3.0, 48.0, 2.0, 49.0 }, "longitudes")]
    [InlineData(new[] { double.NaN, 48.0, 2.0, 49.0 }, "bounds")]
    public void Bounds_that_are_not_west_south_east_north_are_rejected(double[] bounds, string problem) =>
        Assert.Contains(problem, new ViewportReport(bounds, 5, [2.5, 48.5]).Problem());

    [Theory]
    [InlineData(-1)]
    [InlineData(25)]
    [InlineData(double.PositiveInfinity)]
    public void Zoom_outside_0_to_24_is_rejected(double zoom) =>
        Assert.Contains("zoom", Paris() with { Zoom = zoom } is var report ? report.Problem() : null);

    [Fact]
    public void Center_must_be_a_longitude_latitude_pair() =>
        Assert.Contains("center", (Paris() with { Center = [2.35] }).Problem());

    [Fact]
    public void Clicked_feature_must_be_a_small_object()
    {
        Assert.Null(Paris(JsonSerializer.SerializeToElement(new { layerId = "parks", properties = new { name = "Tuileries" } })).Problem());
        Assert.Contains("object", Paris(JsonSerializer.SerializeToElement("parks")).Problem());
        Assert.Contains("bytes", Paris(JsonSerializer.SerializeToElement(new { blob = new string('x', ViewportReport.MaxClickedFeatureBytes) })).Problem());
    }
}
