using System.Xml;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace MapServer.Api.Importing;

/// <summary>A GPX file (NetTopologySuite.IO.GPX): waypoints as points, routes as lines, tracks as (multi)lines, each with its name and kind.</summary>
public static class GpxFeatures
{
    public static FeatureTable Read(string name, Stream file, GeometryFactory factory)
    {
        GpxFile gpx;
        try
        {
            using var reader = XmlReader.Create(file, KmlFeatures.SafeXml);
            gpx = GpxFile.ReadFrom(reader, new GpxReaderSettings { IgnoreBadDateTime = true, IgnoreUnexpectedChildrenOfTopLevelElement = true, IgnoreVersionAttribute = true });
        }
        catch (Exception ex) when (ex is XmlException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ImportException($"'{name}' is not a GPX file this server can read ({ex.Message}).", "Export the track again from your GPS app as GPX 1.1.");
        }

        return new FeatureTable(name, Features(gpx, factory));
    }

    private static IEnumerable<IFeature> Features(GpxFile gpx, GeometryFactory factory)
    {
        foreach (var track in gpx.Tracks)
        {
            var lines = track.Segments.Select(s => s.Waypoints.Select(Position).ToArray()).Where(p => p.Length >= 2).Select(factory.CreateLineString).ToArray();
            Geometry? geometry = lines.Length switch { 0 => null, 1 => lines[0], _ => factory.CreateMultiLineString(lines) };
            var points = track.Segments.SelectMany(s => s.Waypoints).ToList();
            yield return new Feature(geometry, Properties("track", track.Name, track.Description, track.Classification, points.FirstOrDefault()?.TimestampUtc, points.LastOrDefault()?.TimestampUtc, points.Count));
        }

        foreach (var route in gpx.Routes)
        {
            var positions = route.Waypoints.Select(Position).ToArray();
            yield return new Feature(positions.Length >= 2 ? factory.CreateLineString(positions) : null, Properties("route", route.Name, route.Description, route.Classification, null, null, positions.Length));
        }

        foreach (var waypoint in gpx.Waypoints)
        {
            var properties = Properties("waypoint", waypoint.Name, waypoint.Description, waypoint.Classification, waypoint.TimestampUtc, null, null);
            if (waypoint.ElevationInMeters is { } elevation)
            {
                properties.Add("elevation", elevation);
            }

            yield return new Feature(factory.CreatePoint(Position(waypoint)), properties);
        }
    }

    private static Coordinate Position(GpxWaypoint point) => new(point.Longitude.Value, point.Latitude.Value);

    private static AttributesTable Properties(string kind, string? name, string? description, string? type, DateTime? start, DateTime? end, int? points)
    {
        var properties = new AttributesTable { { "kind", kind } };
        void AddIf(string key, object? value)
        {
            if (value is not null)
            {
                properties.Add(key, value);
            }
        }

        AddIf("name", name);
        AddIf("description", description);
        AddIf("type", type);
        AddIf(end is null ? "time" : "start", start);
        AddIf("end", end);
        AddIf("points", points);
        return properties;
    }
}
