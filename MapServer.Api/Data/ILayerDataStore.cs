namespace MapServer.Api.Data;

/// <summary>
/// Layer data (GeoJSON, gzip-compressed) stored once per session under its SHA-256, beside the session's
/// state and with the session's lifetime. Redis in every real deployment; in memory when the api runs alone.
/// </summary>
public interface ILayerDataStore
{
    /// <summary>Stores <paramref name="gzip"/> under <paramref name="sha256"/> (or refreshes it when already stored); false when the session does not exist.</summary>
    Task<bool> PutAsync(string sessionId, string sha256, byte[] gzip, CancellationToken cancellationToken = default);

    /// <summary>Removes data no layer uses (an import refused after its data was stored).</summary>
    Task DeleteAsync(string sessionId, string sha256, CancellationToken cancellationToken = default);

    /// <summary>The gzip-compressed data, or null when the session holds no data with that hash.</summary>
    Task<byte[]?> GetAsync(string sessionId, string sha256, CancellationToken cancellationToken = default);
}
