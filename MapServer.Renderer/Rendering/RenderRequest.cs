using System.Text.Json;

namespace MapServer.Renderer.Rendering;

/// <summary>
/// One image: a session's state (as the viewer receives it) drawn at <see cref="Width"/> x <see cref="Height"/> CSS pixels,
/// at a camera, or fitted to a box [west, south, east, north], or else at the state's own view.
/// </summary>
public sealed record RenderRequest(JsonElement State, int Width, int Height, MapCamera? Camera = null, double[]? Bbox = null, string Scheme = "light")
{
    public const int MinSize = 64;
    public const int MaxSize = 1600;

    /// <summary>Why this request cannot be drawn, or null.</summary>
    public string? Problem() =>
        State.ValueKind != JsonValueKind.Object ? "state must be the session's state (an object)."
        : Width is < MinSize or > MaxSize || Height is < MinSize or > MaxSize ? $"width and height must be between {MinSize} and {MaxSize} pixels."
        : Bbox is not null && (Bbox.Length != 4 || !Bbox.All(double.IsFinite)) ? "bbox must be [west, south, east, north]."
        : Camera is not null && Camera.Problem() is { } camera ? camera
        : Scheme is not ("light" or "dark") ? "scheme must be light or dark."
        : null;
}
