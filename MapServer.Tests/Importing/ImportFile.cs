namespace MapServer.Tests.Importing;

/// <summary>A file to import and what importing it must give: its features (over all its layers), their bbox, some of their columns, one geometry type.</summary>
public sealed record ImportFile(string Name, byte[] Bytes, int Features, double[] Bbox, string[] Columns, string GeometryType);
