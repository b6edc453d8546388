using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace MapServer.Api.Importing;

/// <summary>
/// A KML document (Google Earth, My Maps), read placemark by placemark: points, lines, polygons with holes,
/// MultiGeometry and gx:Track; the name, description, time and ExtendedData of each as properties.
/// Written here because no KML reader is on the package feed; the XML reader refuses DTDs and external entities.
/// </summary>
public static class KmlFeatures
{
    public static FeatureTable Read(string name, Stream file, GeometryFactory factory) => new(name, Placemarks(name, file, factory));

    public static XmlReaderSettings SafeXml => new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, CloseInput = false };

    private static IEnumerable<IFeature> Placemarks(string name, Stream file, GeometryFactory factory)
    {
        using var reader = XmlReader.Create(file, SafeXml);
        for (var number = 1; ; number++)
        {
            XElement? placemark;
            try
            {
                placemark = NextPlacemark(reader);
            }
            catch (XmlException ex)
            {
                throw new ImportException(
                    $"'{name}' is not well-formed KML (line {ex.LineNumber}, position {ex.LinePosition}: {ex.Message}).",
                    "Export the file again from Google Earth or your GIS; KML must be well-formed XML.");
            }

            if (placemark is null)
            {
                yield break;
            }

            yield return new Feature(Geometry(placemark, number, factory), Properties(placemark));
        }
    }

    /// <summary>The next Placemark, in any KML namespace (2.0, 2.1, 2.2) or none, at any depth (folders, documents).</summary>
    private static XElement? NextPlacemark(XmlReader reader)
    {
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Placemark")
            {
                return (XElement)XNode.ReadFrom(reader); // leaves the reader on the node after it, maybe the next placemark
            }

            reader.Read();
        }

        return null;
    }

    private static AttributesTable Properties(XElement placemark)
    {
        var properties = new AttributesTable();
        void Add(string key, object? value)
        {
            if (!properties.Exists(key))
            {
                properties.Add(key, value);
            }
        }

        foreach (var child in placemark.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "name":
                case "description":
                    Add(child.Name.LocalName, child.Value.Trim());
                    break;
                case "TimeStamp":
                    Add("time", ImportValues.Typed(Child(child, "when")?.Value ?? ""));
                    break;
                case "ExtendedData":
                    foreach (var data in child.Descendants().Where(d => d.Name.LocalName is "Data" or "SimpleData"))
                    {
                        var key = (string?)data.Attribute("name");
                        if (!string.IsNullOrWhiteSpace(key))
                        {
                            Add(key, ImportValues.Typed(data.Name.LocalName == "Data" ? Child(data, "value")?.Value ?? "" : data.Value));
                        }
                    }

                    break;
            }
        }

        return properties;
    }

    private static Geometry? Geometry(XElement placemark, int number, GeometryFactory factory)
    {
        var shapes = placemark.Elements().Where(e => IsGeometry(e.Name.LocalName)).ToList();
        try
        {
            return shapes.Count == 0 ? null : Build(shapes[0], factory);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ImportException(
                $"placemark {number:N0}{NameOf(placemark)} has a geometry this server cannot read ({ex.Message}).",
                "Give coordinates as 'longitude,latitude[,altitude]' tuples separated by spaces; a polygon's ring needs at least 4 positions, the last equal to the first.");
        }
    }

    private static string NameOf(XElement placemark) => Child(placemark, "name")?.Value is { Length: > 0 } title ? $" ('{title.Trim()}')" : "";

    private static bool IsGeometry(string name) => name is "Point" or "LineString" or "LinearRing" or "Polygon" or "MultiGeometry" or "Track" or "MultiTrack";

    private static Geometry? Build(XElement shape, GeometryFactory factory)
    {
        switch (shape.Name.LocalName)
        {
            case "Point":
                var position = Positions(shape);
                return position.Length == 0 ? null : factory.CreatePoint(position[0]);
            case "LineString":
                return factory.CreateLineString(Positions(shape));
            case "LinearRing":
                return factory.CreateLineString(Closed(Positions(shape)));
            case "Polygon":
                var shell = Ring(Child(shape, "outerBoundaryIs"), factory) ?? throw new FormatException("a Polygon without an outerBoundaryIs");
                var holes = shape.Elements().Where(e => e.Name.LocalName == "innerBoundaryIs").Select(e => Ring(e, factory)!).Where(r => r is not null).ToArray();
                return factory.CreatePolygon(shell, holes);
            case "Track":
                return factory.CreateLineString([.. shape.Elements().Where(e => e.Name.LocalName == "coord").Select(e => Position(e.Value, ' '))]);
            default: // MultiGeometry, MultiTrack
                var parts = shape.Elements().Where(e => IsGeometry(e.Name.LocalName)).Select(e => Build(e, factory)).OfType<Geometry>().ToArray();
                return factory.BuildGeometry(parts);
        }
    }

    private static LinearRing? Ring(XElement? boundary, GeometryFactory factory) =>
        boundary is null || Child(boundary, "LinearRing") is not { } ring ? null : factory.CreateLinearRing(Closed(Positions(ring)));

    private static Coordinate[] Positions(XElement shape)
    {
        var text = Child(shape, "coordinates")?.Value ?? "";
        return [.. text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(tuple => Position(tuple, ','))];
    }

    private static Coordinate Position(string tuple, char separator)
    {
        var parts = tuple.Split(separator, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2
            || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat))
        {
            throw new FormatException($"'{tuple}' is not a longitude,latitude pair");
        }

        return new Coordinate(lon, lat);
    }

    private static Coordinate[] Closed(Coordinate[] ring) =>
        ring.Length > 0 && !ring[0].Equals2D(ring[^1]) ? [.. ring, ring[0].Copy()] : ring;

    private static XElement? Child(XElement element, string localName) => element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);
}
