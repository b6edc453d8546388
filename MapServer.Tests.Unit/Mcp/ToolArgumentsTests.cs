using System.Text.Json;
using MapServer.Api.Mcp;

namespace MapServer.Tests.Unit.Mcp;

/// <summary>Arguments checked against a tool's input schema before binding: the error names the argument, what it must be, and what the tool takes.</summary>
public sealed class ToolArgumentsTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""
        {"type":"object","properties":{
          "session_id":{"type":"string"},
          "zoom":{"type":["number","null"]},
          "padding":{"type":"integer"},
          "coordinates":{"type":"array","items":{"type":"array","items":{"type":"number"}}},
          "visibility":{"type":"string","enum":["show","hide","toggle"]},
          "source":{}
        },"required":["session_id","coordinates"]}
        """).RootElement;

    [Theory]
    [InlineData("""{"session_id":"s","coordinates":[[1,2]],"zoom":"close"}""", "argument 'zoom' of 'probe' must be a finite number or null, not the string \"close\"")]
    [InlineData("""{"session_id":"s","coordinates":[[1,2],[3,"x"]]}""", "argument 'coordinates[1][1]' of 'probe' must be a finite number, not the string \"x\"")]
    [InlineData("""{"session_id":"s","coordinates":[[1,2]],"padding":1.5}""", "argument 'padding' of 'probe' must be an integer (a whole number), not the number 1.5")]
    [InlineData("""{"session_id":"s","coordinates":[[1,2]],"visibility":"on"}""", "argument 'visibility' of 'probe' must be one of \"show\", \"hide\", \"toggle\", not the string \"on\"")]
    [InlineData("""{"session_id":null,"coordinates":[[1,2]]}""", "argument 'session_id' of 'probe' must be a string, not null")]
    [InlineData("""{"sessionId":"s","coordinates":[[1,2]]}""", "'probe' has no argument 'sessionId'")]
    [InlineData("""{"zoom":3}""", "'probe' needs the arguments 'session_id', 'coordinates'")]
    public void A_wrong_argument_is_named_with_what_it_must_be(string arguments, string expected)
    {
        var problem = ToolArguments.Problem("probe", Schema, Parse(arguments));

        Assert.NotNull(problem);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        Assert.EndsWith("'probe' takes: session_id (string, required), zoom (number or null), padding (integer), coordinates (array, required), visibility (string), source (any JSON). Nothing was changed.", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"session_id":"s","coordinates":[[1,2]]}""")]
    [InlineData("""{"session_id":"s","coordinates":[],"zoom":null,"padding":40,"visibility":"hide","source":{"type":"geojson"}}""")]
    public void Arguments_that_fit_the_schema_pass(string arguments) =>
        Assert.Null(ToolArguments.Problem("probe", Schema, Parse(arguments)));

    private static Dictionary<string, JsonElement> Parse(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
