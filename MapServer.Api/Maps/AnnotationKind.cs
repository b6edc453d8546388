using System.Text.Json.Serialization;

namespace MapServer.Api.Maps;

public enum AnnotationKind
{
    [JsonStringEnumMemberName("marker")]
    Marker,
    [JsonStringEnumMemberName("line")]
    Line,
    [JsonStringEnumMemberName("polygon")]
    Polygon,
    [JsonStringEnumMemberName("circle")]
    Circle,
}
