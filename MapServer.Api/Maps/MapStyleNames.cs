namespace MapServer.Api.Maps;

/// <summary>
/// The names an exported style and an import share, as the renderer (<c>map-style.js</c>) exports them: the one place
/// they are defined, so an export and its import cannot drift apart.
/// </summary>
/// <param name="AnnotationSource">The annotations' source.</param>
/// <param name="AnnotationLayerPrefix">The start of every annotation style layer's id.</param>
/// <param name="BasemapPrefix">The start of the basemap's own sources and style layers.</param>
/// <param name="BasemapKey">The style metadata key of the basemap's name.</param>
/// <param name="LayersKey">The style metadata key of each layer's title, legend and order.</param>
public sealed record MapStyleNames(string AnnotationSource, string AnnotationLayerPrefix, string BasemapPrefix, string BasemapKey, string LayersKey);
