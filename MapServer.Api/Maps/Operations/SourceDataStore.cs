using System.Text.Json;

namespace MapServer.Api.Maps.Operations;

/// <summary>
/// Stores a source's inline GeoJSON beside the state and gives the source pointing at it, or null when the source holds
/// no data of its own (a URL elsewhere, another source type). <paramref name="field"/> names the source in messages.
/// </summary>
public delegate Task<StoredSource?> SourceDataStore(JsonElement source, string field);
