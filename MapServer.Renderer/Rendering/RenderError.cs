namespace MapServer.Renderer.Rendering;

/// <summary>Why no image was drawn, in words the agent can act on.</summary>
public sealed record RenderError(string Error);
