using MapServer.Api.Security;

namespace MapServer.Api.Sessions;

/// <summary>The most one map session may hold; a change that would grow past one is refused whole.</summary>
public sealed record MapSizeLimits(long MaxDataBytes, int MaxLayers, int MaxAnnotations)
{
    public static MapSizeLimits None { get; } = new(long.MaxValue, int.MaxValue, int.MaxValue);

    public static MapSizeLimits From(MapServerOptions map, LimitOptions limits) => new(
        map.MaxSessionDataBytes,
        limits.MaxLayersPerSession > 0 ? limits.MaxLayersPerSession : int.MaxValue,
        limits.MaxAnnotationsPerSession > 0 ? limits.MaxAnnotationsPerSession : int.MaxValue);
}
