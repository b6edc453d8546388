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

    /// <summary>
    /// Applies only to the map at this version (optimistic concurrency): the reducer refuses it on any other
    /// state, also when the store re-applies it after losing a race. Null = apply to whatever is current.
    /// </summary>
    [JsonIgnore]
    public long? IfVersion { get; init; }
}

/// <summary>Moves the camera; null parts stay as they are.</summary>
public sealed record SetView(double[]? Center = null, double? Zoom = null, double? Bearing = null, double? Pitch = null) : MapOperation
{
    public override string Name => "set_map_view";
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
/// GeoJSON stored beside the state that the source's data URL points at; <paramref name="GeometryTypes"/>, when the
/// data's geometry types are known (an imported file), lets the default style draw only those.
/// </summary>
public sealed record AddLayer(
    string LayerId,
    JsonElement Source,
    List<JsonElement>? Layers = null,
    string? Title = null,
    string? LegendColor = null,
    bool Visible = true,
    bool Replace = false,
    LayerData? Data = null,
    IReadOnlyCollection<string>? GeometryTypes = null) : MapOperation
{
    public override string Name => "add_layer";
}

/// <summary>The layers of one imported file, added together: all of them or none.</summary>
public sealed record ImportLayers(string FileName, IReadOnlyList<AddLayer> Layers) : MapOperation
{
    public override string Name => "import_file";
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

/// <summary>
/// Colours a layer's style layers (or one) by a property: <see cref="Color"/> is the data-driven expression computed from
/// its data, set as each style layer's colour (fill-color, line-color, circle-color, fill-extrusion-color, text-color).
/// </summary>
public sealed record ColorLayerBy(string LayerId, string Property, JsonElement Color, string? StyleLayerId = null) : MapOperation
{
    public override string Name => "style_layer_by_property";
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
    /// <summary>The tool that adds this kind.</summary>
    public override string Name => Annotation.Kind switch
    {
        AnnotationKind.Marker => "add_marker",
        AnnotationKind.Line => "add_line",
        AnnotationKind.Polygon => "add_polygon",
        _ => "add_circle",
    };
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

/// <summary>
/// Replaces the map's layers and view (<paramref name="Style"/>, a MapLibre style) and/or its annotations
/// (<paramref name="Annotations"/>, GeoJSON) with an exported map's, as one change. <paramref name="StoredSources"/>
/// replaces style sources whose inline GeoJSON was already stored beside the state (by source id).
/// </summary>
public sealed record ImportMap(
    JsonElement? Style,
    JsonElement? Annotations,
    int MaxGeoJsonBytes,
    IReadOnlyDictionary<string, StoredSource>? StoredSources = null) : MapOperation
{
    public override string Name => "import_map";

    /// <summary>Every style source the import takes as a layer, as the reducer will read it: stored ones as their data URL.</summary>
    public IEnumerable<(string Id, JsonElement Source)> Sources() =>
        Style is { ValueKind: JsonValueKind.Object } style && style.TryGetProperty("sources", out var sources) && sources.ValueKind == JsonValueKind.Object
            ? sources.EnumerateObject()
                .Where(s => MapExport.IsLayerSource(s.Name))
                .Select(s => (s.Name, StoredSources?.TryGetValue(s.Name, out var stored) == true ? stored.Source : s.Value))
            : [];
}

/// <summary>A GeoJSON source whose data is stored beside the state: the source pointing at it, and the data's identity.</summary>
public sealed record StoredSource(JsonElement Source, LayerData Data);

public enum HistoryStep
{
    Undo,
    Redo,
}

/// <summary>
/// Undoes or redoes the change at <paramref name="ChangeVersion"/> by applying one of its recorded merge patches
/// to the current state: its undo patch (new -> old) or its forward patch (old -> new). The version still moves forward.
/// </summary>
/// <remarks>Built from the history as it was at <see cref="MapOperation.IfVersion"/>: on any other version it would revert the wrong change.</remarks>
public sealed record StepHistory(HistoryStep Step, long ChangeVersion, string ChangeSummary, JsonElement Patch) : MapOperation
{
    public override string Name => Step == HistoryStep.Undo ? "undo" : "redo";
}
