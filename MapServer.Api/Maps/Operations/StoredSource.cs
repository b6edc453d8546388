using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

/// <summary>A GeoJSON source whose data is stored beside the state: the source pointing at it, and the data's identity.</summary>
public sealed record StoredSource(JsonElement Source, LayerData Data);
