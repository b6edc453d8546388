namespace MapServer.Renderer.Rendering;

/// <summary>The renderer cannot draw this image now (busy, too slow, Chromium missing); the message says what to do.</summary>
public sealed class RendererUnavailableException(string message) : Exception(message);
