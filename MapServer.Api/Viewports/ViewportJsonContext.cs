using System.Text.Json;
using System.Text.Json.Serialization;

namespace MapServer.Api.Viewports;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ViewportReport))]
[JsonSerializable(typeof(StoredViewport))]
public sealed partial class ViewportJsonContext : JsonSerializerContext;
