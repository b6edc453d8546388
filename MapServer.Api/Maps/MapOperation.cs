using System.Text.Json;
using System.Text.Json.Serialization;

namespace MapServer.Api.Maps;

/// <summary>
/// One change to a map session. Tools build operations; <see cref="MapReducer"/> is the only code
/// that turns an operation into a new <see cref="MapState"/>.
/// </summary>
public abstract record MapOperation
{
    /// <summary>The operation's name as it appears in events and history.</summary>
    [JsonIgnore]
    public abstract string Name { get; }
}

/// <summary>Moves the camera; null parts stay as they are.</summary>
public sealed record SetView(double[]? Center = null, double? Zoom = null, double? Bearing = null, double? Pitch = null) : MapOperation
{
    public override string Name => "set_view";
}

/// <summary>Frames a bounding box [west, south, east, north] with padding in pixels.</summary>
public sealed record FitBounds(double[] Bbox, int Padding = 40) : MapOperation
{
    public override string Name => "fit_bounds";
}

public sealed record SetBasemap(string Basemap) : MapOperation
{
    public override string Name => "set_basemap";
}

/// <summary>
/// Adds a data layer; with <paramref name="Replace"/>, replaces one with the same id. <paramref name="Data"/> is the
/// GeoJSON stored beside the state that the source's data URL points at.
/// </summary>
public sealed record AddLayer(
    string LayerId,
    JsonElement Source,
    List<JsonElement>? Layers = null,
    string? Title = null,
    string? LegendColor = null,
    bool Visible = true,
    bool Replace = false,
    LayerData? Data = null) : MapOperation
{
    public override string Name => "add_layer";
}

public sealed record RemoveLayer(string LayerId) : MapOperation
{
    public override string Name => "remove_layer";
}

public enum LayerVisibility
{
    Show,
    Hide,
    Toggle,
}

public sealed record ToggleLayer(string LayerId, LayerVisibility Visibility) : MapOperation
{
    public override string Name => "toggle_layer";
}

/// <summary>Sets (or, with a null filter, clears) the filter of one style layer; null style layer = every style layer.</summary>
public sealed record FilterLayer(string LayerId, JsonElement? Filter, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "filter_layer";
}

public sealed record SetLayerPaint(string LayerId, string Property, JsonElement Value, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "set_layer_paint";
}

public sealed record SetLayerLayout(string LayerId, string Property, JsonElement Value, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "set_layer_layout";
}

public sealed record SetLayerOpacity(string LayerId, double Opacity) : MapOperation
{
    public override string Name => "set_layer_opacity";
}

/// <summary>Drops every filter, paint and layout override of a layer.</summary>
public sealed record ResetLayerStyle(string LayerId) : MapOperation
{
    public override string Name => "reset_layer_style";
}

public enum LayerPosition
{
    Top,
    Bottom,
    Above,
    Below,
}

/// <summary>Moves a layer to the top, the bottom, or just above/below another layer.</summary>
public sealed record MoveLayer(string LayerId, LayerPosition Position, string? RelativeTo = null) : MapOperation
{
    public override string Name => "set_layer_order";
}

/// <summary>Adds an annotation, or replaces the one with the same id.</summary>
public sealed record PutAnnotation(string AnnotationId, MapAnnotation Annotation) : MapOperation
{
    public override string Name => "put_annotation";
}

public sealed record RemoveAnnotation(string AnnotationId) : MapOperation
{
    public override string Name => "remove_annotation";
}

/// <summary>Removes every layer and annotation; the view and basemap stay.</summary>
public sealed record ClearMap : MapOperation
{
    public override string Name => "clear_map";
}

/// <summary>Replaces the map's content with <paramref name="State"/> (import, undo, redo); the version still moves forward.</summary>
public sealed record RestoreMap(MapState State, string Reason) : MapOperation
{
    public override string Name => "restore_map";
}

public enum HistoryStep
{
    Undo,
    Redo,
}

/// <summary>
/// Undoes or redoes the change at <paramref name="ChangeVersion"/> by applying one of its recorded merge patches
/// to the current state: its undo patch (new -> old) or its forward patch (old -> new). The version still moves forward.
/// </summary>
public sealed record StepHistory(HistoryStep Step, long ChangeVersion, string ChangeSummary, JsonElement Patch) : MapOperation
{
    public override string Name => Step == HistoryStep.Undo ? "undo" : "redo";
}
