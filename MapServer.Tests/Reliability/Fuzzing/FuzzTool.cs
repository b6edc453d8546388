using System.Text.Json;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>A tool as tools/list describes it: its name and the properties of its input schema.</summary>
public sealed record FuzzTool(string Name, IReadOnlyList<FuzzParameter> Parameters)
{
    public static FuzzTool From(JsonElement tool)
    {
        var schema = tool.GetProperty("inputSchema");
        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet() : [];
        var parameters = schema.TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => new FuzzParameter(p.Name, FuzzParameter.TypesOf(p.Value), required.Contains(p.Name), p.Value.Clone())).ToList()
            : [];
        return new FuzzTool(tool.GetProperty("name").GetString()!, parameters);
    }

    public bool Takes(string parameter) => Parameters.Any(p => p.Name == parameter);
}
