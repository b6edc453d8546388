using Bunit;
using MapServer.Web.Components.Pages.Map;
using MapServer.Web.Maps;
using Microsoft.AspNetCore.Components;

namespace MapServer.Tests.Viewer;

/// <summary>The side panel component, rendered with bUnit.</summary>
public sealed class MapSidePanelTests : BunitContext
{
    private const string SessionId = "k3JxQ2mN8pR4sT6vW1yZ0a";

    private static readonly MapViewerSnapshot Live = new(
        "connected",
        12,
        "blank",
        [new LayerEntry("parks", "Parks", "#16a34a", Visible: true, HiddenLocally: false), new LayerEntry("roads", "Roads", "url(javascript:x)", Visible: false, HiddenLocally: false)],
        [new MarkerEntry("eiffel", "Eiffel Tower", "#e11d48", 2.2945, 48.8584), new MarkerEntry("m2", null, null, 0, 0)]);

    private IRenderedComponent<MapSidePanel> RenderPanel(MapViewerSnapshot snapshot, Action<(string, bool)>? onToggle = null, Action<string>? onFocus = null) =>
        Render<MapSidePanel>(parameters => parameters
            .Add(p => p.SessionId, SessionId)
            .Add(p => p.Snapshot, snapshot)
            .Add(p => p.OnToggleLayer, EventCallback.Factory.Create<(string LayerId, bool Shown)>(this, change => onToggle?.Invoke(change)))
            .Add(p => p.OnFocusMarker, EventCallback.Factory.Create<string>(this, id => onFocus?.Invoke(id))));

    [Fact]
    public void Shows_status_version_session_id_and_the_sentence_for_the_agent()
    {
        var panel = RenderPanel(Live);
        Assert.Contains("Live", panel.Find("[data-testid=status]").TextContent);
        Assert.Contains("v12", panel.Find("[data-testid=status]").TextContent);
        Assert.Equal(SessionId, panel.Find("[data-testid=session-id]").TextContent);
        Assert.Equal($"Use map session {SessionId}", panel.Find("[data-testid=agent-sentence]").TextContent);
    }

    [Fact]
    public void Lists_layers_with_swatches_and_marks_those_the_agent_hid()
    {
        var panel = RenderPanel(Live);
        var layers = panel.FindAll("ul.layers li");
        Assert.Equal(2, layers.Count);
        Assert.Contains("background: #16a34a", layers[0].QuerySelector(".swatch")!.GetAttribute("style"));
        Assert.Contains("background: #64748b", layers[1].QuerySelector(".swatch")!.GetAttribute("style")); // unsafe colour replaced
        Assert.Contains("hidden by agent", layers[1].TextContent);
        Assert.True(layers[1].QuerySelector("input")!.HasAttribute("disabled"));
    }

    [Fact]
    public void Unticking_a_layer_asks_to_hide_it_on_this_screen_only()
    {
        (string, bool)? toggled = null;
        var panel = RenderPanel(Live, onToggle: change => toggled = change);
        panel.Find("#layer-parks").Change(false);
        Assert.Equal(("parks", false), toggled);
    }

    [Fact]
    public void Clicking_a_marker_focuses_it_and_unlabelled_markers_show_their_id()
    {
        string? focused = null;
        var panel = RenderPanel(Live, onFocus: id => focused = id);
        var markers = panel.FindAll("ul.markers button");
        Assert.Contains("m2", markers[1].TextContent);
        markers[0].Click();
        Assert.Equal("eiffel", focused);
    }

    [Fact]
    public void Copy_puts_the_agent_sentence_on_the_clipboard()
    {
        JSInterop.SetupVoid("navigator.clipboard.writeText", $"Use map session {SessionId}").SetVoidResult();
        var panel = RenderPanel(Live);
        panel.Find("button.copy").Click();
        Assert.Equal("Copied", panel.Find("button.copy").TextContent);
        JSInterop.VerifyInvoke("navigator.clipboard.writeText");
    }

    [Fact]
    public void Empty_map_says_what_will_appear()
    {
        var panel = RenderPanel(MapViewerSnapshot.Connecting);
        Assert.Contains("Connecting", panel.Find("[data-testid=status]").TextContent);
        Assert.Contains("No layers yet", panel.Markup);
        Assert.Contains("No markers yet", panel.Markup);
    }
}
