namespace MapServer.Api.Images;

/// <summary>No image now: no renderer configured, or it is busy, slow or down. The message says what to do.</summary>
public sealed class MapRendererUnavailableException(string message) : Exception(message);
