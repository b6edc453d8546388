using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Json;
using MapServer.Api.Sessions;

namespace MapServer.Api.Maps;

/// <summary>
/// The map's MapLibre style, rendered by the viewer's own renderer (<c>MapServer.Web/wwwroot/js/map-style.js</c>, embedded
/// here) in a JavaScript interpreter: an export draws exactly what the viewers draw, with no second copy of the drawing
/// rules. The module is pure (no I/O); each call gets its own bounded engine.
/// </summary>
public static class MapStyleRenderer
{
    private static readonly Prepared<Acornima.Ast.Module> Module = Engine.PrepareModule(ReadModule(), "map-style.js");

    /// <summary>The source, layer and metadata names the module exports, read from it once.</summary>
    public static MapStyleNames Names { get; } = ReadNames();

    /// <param name="origin">The viewer's public origin: the offline basemap, place names and glyphs are served there.</param>
    public static JsonObject Render(MapState state, string origin)
    {
        using var engine = new Engine(options => options
            .TimeoutInterval(TimeSpan.FromSeconds(10))
            .LimitMemory(512L * 1024 * 1024)
            .LimitRecursion(256));
        engine.Modules.Add("map-style", builder => builder.AddModule(Module));
        var renderStyle = engine.Modules.Import("map-style").Get("renderStyle");
        var stateValue = new JsonParser(engine).Parse(MapChanges.Serialize(state));
        var options = new JsonParser(engine).Parse(new JsonObject { ["origin"] = origin, ["scheme"] = "light" }.ToJsonString());
        var style = engine.Invoke(renderStyle, stateValue, options);
        return JsonNode.Parse(new JsonSerializer(engine).Serialize(style, JsValue.Undefined, JsValue.Undefined).AsString())!.AsObject();
    }

    private static MapStyleNames ReadNames()
    {
        using var engine = new Engine();
        engine.Modules.Add("map-style", builder => builder.AddModule(Module));
        var module = engine.Modules.Import("map-style");
        var metadata = module.Get("METADATA_KEYS").AsObject();
        return new MapStyleNames(
            AnnotationSource: module.Get("ANNOTATION_SOURCE").AsString(),
            AnnotationLayerPrefix: module.Get("ANNOTATION_LAYER_PREFIX").AsString(),
            BasemapPrefix: module.Get("BASEMAP_PREFIX").AsString(),
            BasemapKey: metadata.Get("basemap").AsString(),
            LayersKey: metadata.Get("layers").AsString());
    }

    private static string ReadModule()
    {
        using var stream = typeof(MapStyleRenderer).Assembly.GetManifestResourceStream("map-style.js")
            ?? throw new InvalidOperationException("map-style.js is not embedded in the api assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
