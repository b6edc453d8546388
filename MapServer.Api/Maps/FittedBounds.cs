namespace MapServer.Api.Maps;

/// <summary>A box [west, south, east, north] in degrees framed with <paramref name="Padding"/> pixels of margin (west > east crosses the antimeridian).</summary>
public sealed record FittedBounds(double[] Bbox, int Padding)
{
    /// <summary>Same box and padding (records compare arrays by reference).</summary>
    public static bool Same(FittedBounds? a, FittedBounds? b) =>
        ReferenceEquals(a, b) || (a is not null && b is not null && a.Padding == b.Padding && a.Bbox.AsSpan().SequenceEqual(b.Bbox));
}
