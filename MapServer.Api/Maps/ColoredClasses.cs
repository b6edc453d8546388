using System.Text.Json;

namespace MapServer.Api.Maps;

/// <summary>A colour expression and the classes it draws, in the order a legend lists them.</summary>
public sealed record ColoredClasses(JsonElement Expression, IReadOnlyList<ColorClass> Classes);
