using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using MapServer.Api.Maps;
using MapServer.Api.Maps.Operations;
using MapServer.Api.Sessions;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>Markers, lines, polygons and circles with ids the agent chooses: calling again with the same id updates it.</summary>
[McpServerToolType]
public sealed class AnnotationTools(MapSessionGateway sessions)
{
    private const string ColorHelp = "Colour: '#e11d48', 'rgb(...)' or a CSS name. Default '#e11d48'.";
    private const string LabelHelp = "Optional short label shown on the map (<= 200 characters).";

    [McpServerTool(Name = "add_marker", Title = "Add or move a marker", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Places a marker pin at a point, with an optional label and popup (Markdown text shown on click). Calling it again with the same marker_id moves or updates that marker.")]
    public Task<MapChangeResult> AddMarker(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Your id for this marker, e.g. 'eiffel-tower'.")] string marker_id,
        [Description("Longitude in degrees, -180..180 (east positive).")] double longitude,
        [Description("Latitude in degrees, -90..90 (north positive).")] double latitude,
        [Description(LabelHelp)] string? label = null,
        [Description(ColorHelp)] string? color = null,
        [Description("Optional popup text (Markdown), shown when the marker is clicked.")] string? popup = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        Put(session_id, marker_id, AnnotationKind.Marker, Geometry("Point", Position([longitude, latitude])), label, color, popup, null, if_version, cancellationToken);

    [McpServerTool(Name = "add_line", Title = "Add or update a line", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Draws a line (route, border, path) through two or more [longitude, latitude] points. Same line_id again = update.")]
    public Task<MapChangeResult> AddLine(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Your id for this line.")] string line_id,
        [Description("At least two [longitude, latitude] points, e.g. [[2.35,48.85],[4.83,45.76]].")] double[][] coordinates,
        [Description(LabelHelp)] string? label = null,
        [Description(ColorHelp)] string? color = null,
        [Description("Optional popup text (Markdown).")] string? popup = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        Put(session_id, line_id, AnnotationKind.Line, Geometry("LineString", Positions(coordinates)), label, color, popup, null, if_version, cancellationToken);

    [McpServerTool(Name = "add_polygon", Title = "Add or update a polygon", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Draws a filled area from three or more [longitude, latitude] points; the ring is closed for you. Same polygon_id again = update.")]
    public Task<MapChangeResult> AddPolygon(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Your id for this polygon.")] string polygon_id,
        [Description("The outline: three or more [longitude, latitude] points.")] double[][] coordinates,
        [Description(LabelHelp)] string? label = null,
        [Description(ColorHelp)] string? color = null,
        [Description("Optional popup text (Markdown).")] string? popup = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default)
    {
        var ring = coordinates.ToList();
        if (ring.Count >= 3 && !ring[0].SequenceEqual(ring[^1]))
        {
            ring.Add(ring[0]);
        }

        return Put(session_id, polygon_id, AnnotationKind.Polygon, Geometry("Polygon", new JsonArray(Positions(ring))), label, color, popup, null, if_version, cancellationToken);
    }

    [McpServerTool(Name = "add_circle", Title = "Add or update a circle", Destructive = false, Idempotent = true, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Draws a circle of a radius in metres around a point (e.g. a 5 km delivery zone). Same circle_id again = update.")]
    public Task<MapChangeResult> AddCircle(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("Your id for this circle.")] string circle_id,
        [Description("Centre longitude, -180..180.")] double longitude,
        [Description("Centre latitude, -90..90.")] double latitude,
        [Description("Radius in metres, 1..20,000,000.")] double radius_meters,
        [Description(LabelHelp)] string? label = null,
        [Description(ColorHelp)] string? color = null,
        [Description("Optional popup text (Markdown).")] string? popup = null,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        Put(session_id, circle_id, AnnotationKind.Circle, Geometry("Point", Position([longitude, latitude])), label, color, popup, radius_meters, if_version, cancellationToken);

    [McpServerTool(Name = "remove_annotation", Title = "Remove a marker, line, polygon or circle", Destructive = true, Idempotent = false, ReadOnly = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Removes a marker, line, polygon or circle by its id.")]
    public Task<MapChangeResult> RemoveAnnotation(
        [Description(ToolHelp.SessionId)] string session_id,
        [Description("The id given when it was added.")] string annotation_id,
        [Description(ToolHelp.IfVersion)] long? if_version = null,
        CancellationToken cancellationToken = default) =>
        sessions.ApplyAsync(session_id, new RemoveAnnotation(annotation_id) { IfVersion = if_version }, cancellationToken);

    private Task<MapChangeResult> Put(
        string sessionId, string id, AnnotationKind kind, JsonElement geometry, string? label, string? color, string? popup, double? radius, long? ifVersion, CancellationToken cancellationToken) =>
        sessions.ApplyAsync(sessionId, new PutAnnotation(id, new MapAnnotation
        {
            Kind = kind,
            Geometry = geometry,
            Label = label,
            Color = color ?? "#e11d48",
            Popup = popup,
            RadiusMeters = radius,
        }) { IfVersion = ifVersion }, cancellationToken);

    private static JsonElement Geometry(string type, JsonArray coordinates) =>
        JsonSerializer.SerializeToElement(new JsonObject { ["type"] = type, ["coordinates"] = coordinates }, MapJsonContext.Default.JsonObject);

    private static JsonArray Position(double[] position) => [.. position.Select(n => JsonValue.Create(n))];

    private static JsonArray Positions(IEnumerable<double[]> positions) => [.. positions.Select(Position)];
}
