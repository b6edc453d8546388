using MapServer.Web.Maps;

namespace MapServer.Tests.Viewer;

public sealed class CssColorTests
{
    [Theory]
    [InlineData("#16a34a")]
    [InlineData("#fff")]
    [InlineData("rebeccapurple")]
    [InlineData("rgb(22, 163, 74)")]
    [InlineData("hsla(120, 50%, 40%, 0.5)")]
    public void Plain_colours_from_agents_reach_the_legend_swatch(string color) => Assert.Equal(color, CssColor.OrDefault(color));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("red; background-image: url(https://example.com/x)")]
    [InlineData("url(javascript:alert(1))")]
    [InlineData("#12345g")]
    public void Anything_else_becomes_the_neutral_swatch(string? color) => Assert.Equal(CssColor.Fallback, CssColor.OrDefault(color));

    [Fact]
    public void A_layer_is_shown_only_when_the_agent_shows_it_and_the_person_has_not_hidden_it()
    {
        Assert.True(new LayerEntry("a", "A", null, Visible: true, HiddenLocally: false).Shown);
        Assert.False(new LayerEntry("a", "A", null, Visible: true, HiddenLocally: true).Shown);
        Assert.False(new LayerEntry("a", "A", null, Visible: false, HiddenLocally: false).Shown);
    }

    [Theory]
    [InlineData("connected", "Live")]
    [InlineData("reconnecting", "Reconnecting…")]
    [InlineData("connecting", "Connecting…")]
    public void Status_reads_as_a_person_expects(string status, string text) =>
        Assert.Equal(text, (MapViewerSnapshot.Connecting with { Status = status }).StatusText);
}
