using System.Text.Json;
using CsCheck;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// tools/call requests for every tool tools/list names: arguments generated from the tool's input schema, then
/// (mostly) mutated: a wrong type, a required argument left out, unknown extra ones, a duplicate key, a huge
/// string, deeply nested JSON, an extreme number, a lone surrogate, bytes that are not UTF-8, or arguments
/// that are not an object. Sessions: playground ones, their view tokens, unknown well-formed ids, look-alikes.
/// </summary>
/// <remarks>
/// The sentinel session is named only with a certainly invalid call: a required argument of a concrete type
/// (string, number, integer, boolean, array) replaced by an object, or left out. Neither can bind, so the tool
/// never runs, and the sentinel must end the run exactly as it started (its version and state are compared).
/// </remarks>
public sealed class ToolCallGen
{
    private const string SessionId = "session_id";
    private const string CertainlyInvalid = "{\"fuzz\":\"an object binds to no string, number, boolean or array\"}";

    private static readonly (string Kind, string Json)[] TypeSamples =
        [("object", "{\"a\":1}"), ("array", "[1,2]"), ("string", "\"x\""), ("number", "7"), ("boolean", "true"), ("null", "null")];

    /// <summary>What string parameters of these names usually hold (most of the time; anything the rest).</summary>
    private static readonly Dictionary<string, string[]> KnownWords = new(StringComparer.Ordinal)
    {
        ["color"] = ["#e11d48", "#2563eb", "red", "gold", "rgb(10, 20, 30)", "hsl(120 50% 50%)", "transparent"],
        ["legend_color"] = ["#e11d48", "#16a34a", "navy"],
        ["basemap"] = ["streets", "topo", "satellite", "blank"],
        ["position"] = ["top", "bottom", "above", "below"],
        ["visibility"] = ["show", "hide", "toggle"],
        ["property"] = ["fill-color", "fill-opacity", "line-width", "line-color", "circle-radius", "circle-color", "line-cap", "visibility", "text-field"],
    };

    private static readonly Gen<string> Id = Gen.Frequency(
        (6, Gen.OneOf("a", "b", "roads", "parks", "m1", "line-1", "zone", "a-fill")),
        (3, JsonGen.Text)).Select(JsonGen.Quote);

    private readonly FuzzTargets _targets;
    private readonly Gen<(string Label, string Json)> _session;

    public ToolCallGen(IReadOnlyList<FuzzTool> tools, FuzzTargets targets)
    {
        _targets = targets;
        _session = Gen.Frequency(
            (55, Gen.OneOf(targets.Sessions.ToArray()).Select(id => ("playground session", JsonGen.Quote(id)))),
            (6, Gen.OneOf(targets.ViewTokens.ToArray()).Select(token => ("view token", JsonGen.Quote(token)))),
            (12, JsonGen.UnknownSessionId.Select(id => ("unknown well-formed id", JsonGen.Quote(id)))),
            (8, JsonGen.SessionIdLookalike.Select(id => ("22-char look-alike", JsonGen.Quote(id)))),
            (6, JsonGen.Text.Select(text => ("random string", JsonGen.Quote(text)))),
            (3, Gen.OneOf("null", "\"\"", "123", "{}", "[]", "true").Select(json => ("null, empty or not a string", json))));

        // add_layer comes up four times as often: clear_map, remove_layer and import_map keep emptying the playground.
        Calls = Gen.Frequency(
            (19, Gen.Frequency(tools.Select(t => (t.Name == "add_layer" ? 4 : 1, (IGen<FuzzRequest>)ForTool(t))).ToArray())),
            (1, Gen.OneOf<FuzzRequest>(tools.Where(t => SentinelTargets(t).Any()).Select(SentinelCall).ToArray())));
    }

    /// <summary>One tools/call: any tool, any session; one in twenty names the sentinel with a certainly invalid argument.</summary>
    public Gen<FuzzRequest> Calls { get; }

    private Gen<FuzzRequest> ForTool(FuzzTool tool)
    {
        var sessions = tool.Takes(SessionId) ? _session.Select(s => ((string Label, string Json)?)s) : Gen.Const(((string Label, string Json)?)null);
        var arguments = Arguments(tool);
        var mutations = Mutations(tool);
        return Gen.Select(sessions, arguments, mutations, Gen.Int[1, 1_000_000], (session, args, mutation, id) =>
        {
            var which = mutation.Parameter is null && session is { } named ? $", session: {named.Label}" : "";
            return Call(tool, mutation.Label + which, mutation.Kind + which, mutation.Apply(session is { } s ? Set(args, SessionId, s.Json) : args), id);
        });
    }

    private Gen<FuzzRequest> SentinelCall(FuzzTool tool)
    {
        var sentinel = JsonGen.Quote(_targets.Sentinel);
        return Gen.Select(Arguments(tool), Gen.OneOf(SentinelTargets(tool).ToArray()), Gen.Bool, Gen.Int[1, 1_000_000], (args, target, leaveOut, id) =>
        {
            var withSentinel = Set(args, SessionId, sentinel);
            return leaveOut
                ? Call(tool, $"sentinel session, {target.Name} left out", $"sentinel session, required {Describe(target)} left out", Object(withSentinel.Where(a => a.Key != target.Name)), id)
                : Call(tool, $"sentinel session, {target.Name} = object", $"sentinel session, required {Describe(target)} = object", Object(Set(withSentinel, target.Name, CertainlyInvalid)), id);
        });
    }

    /// <summary>Required arguments of a concrete type, which no object binds to (the sentinel's safe targets).</summary>
    private static IEnumerable<FuzzParameter> SentinelTargets(FuzzTool tool) =>
        tool.Takes(SessionId) ? tool.Parameters.Where(p => p.Required && p.Name != SessionId && !p.IsAny) : [];

    private static FuzzRequest Call(FuzzTool tool, string label, string kind, string? arguments, int id) =>
        FuzzRequest.McpPost(
            $"{tool.Name}: {label}",
            JsonGen.Encode($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\",\"params\":{{\"name\":{JsonGen.Quote(tool.Name)}{(arguments is null ? "" : ",\"arguments\":" + arguments)}}}}}"))
        with { Tool = tool.Name, Kind = kind };

    // ---- arguments from the schema ----

    private Gen<List<KeyValuePair<string, string>>> Arguments(FuzzTool tool) =>
        tool.Parameters.Where(p => p.Name != SessionId).Aggregate(
            Gen.Const(() => new List<KeyValuePair<string, string>>()),
            (gen, parameter) => Gen.Select(gen, ValueFor(parameter.Name, parameter.Schema), Gen.Bool, (list, value, include) =>
                parameter.Required || include ? [.. list, new(parameter.Name, value)] : list));

    /// <summary>A value the schema allows, shaped by the parameter's name where that says more (coordinates, sources, ids).</summary>
    private Gen<string> ValueFor(string name, JsonElement schema)
    {
        var types = FuzzParameter.TypesOf(schema);
        var type = types.FirstOrDefault(t => t != "null");
        var value = (name, type) switch
        {
            (_, "string") when name.EndsWith("_id", StringComparison.Ordinal) || name == "relative_to" => Id,
            (_, "string") when KnownWords.TryGetValue(name, out var words) => Gen.Frequency((4, Gen.OneOf(words)), (1, JsonGen.Text)).Select(JsonGen.Quote),
            ("label" or "popup" or "title", "string") => Gen.Frequency((4, Gen.String[Gen.Char[" abcdefghijklmnopqrstuvwxyz*#"], 1, 40]), (1, JsonGen.Text)).Select(JsonGen.Quote),
            (_, "string") => Gen.Frequency((3, JsonGen.Word), (2, JsonGen.Text)).Select(JsonGen.Quote),
            ("longitude", _) => JsonGen.Longitude,
            ("latitude", _) => JsonGen.Latitude,
            ("radius_meters", _) => Gen.Frequency((4, Gen.Double[1, 50_000].Select(JsonGen.Format)), (1, JsonGen.Number)),
            ("opacity", _) => Gen.Frequency((4, Gen.Double[0, 1].Select(JsonGen.Format)), (1, JsonGen.Number)),
            (_, "number") => JsonGen.Number,
            (_, "integer") => JsonGen.IntegerValue,
            (_, "boolean") => JsonGen.Bool,
            ("coordinates", "array") => Gen.Frequency((5, JsonGen.ArrayOf(JsonGen.Position, 2, 8)), (1, JsonGen.ArrayOf(JsonGen.Position, 0, 1)), (1, JsonGen.ArrayOf(JsonGen.Position, 500, 5_000))),
            ("bbox", "array") => Gen.Frequency(
                (4, Gen.Select(JsonGen.Longitude, JsonGen.Latitude, JsonGen.Longitude, JsonGen.Latitude, (w, s, e, n) => $"[{w},{s},{e},{n}]")),
                (1, JsonGen.ArrayOf(JsonGen.Number, 0, 6))),
            ("center", "array") => JsonGen.Position,
            ("layers", "array") => JsonGen.ArrayOf(JsonGen.StyleLayer, 0, 3),
            (_, "array") => JsonGen.ArrayOf(schema.TryGetProperty("items", out var items) ? ValueFor(name, items) : JsonGen.Any(2), 0, 5),
            ("source", null) => JsonGen.Source,
            ("filter" or "value", null) => JsonGen.Expression,
            ("style", null) => Gen.Frequency((3, Gen.Const(_targets.ExportedStyle)), (2, Style), (1, JsonGen.Any(3))),
            ("annotations", null) => Gen.Frequency((3, Gen.Const(_targets.ExportedAnnotations)), (2, Annotations), (1, JsonGen.Any(3))),
            _ => JsonGen.Any(3),
        };
        return types.Contains("null") ? Gen.Frequency((9, value), (1, Gen.Const("null"))) : value;
    }

    private static readonly Gen<string> Style = JsonGen.ObjectWith(
        ("version", Gen.OneOf("8", "7", "\"8\"").Null()),
        ("sources", JsonGen.ObjectOf(JsonGen.Word, JsonGen.Source, 0, 3).Null()),
        ("layers", JsonGen.ArrayOf(JsonGen.StyleLayer, 0, 4).Null()),
        ("center", JsonGen.Position.Null()),
        ("zoom", JsonGen.Number.Null()),
        ("metadata", JsonGen.Any(2).Null()));

    private static readonly Gen<string> Annotations =
        JsonGen.ArrayOf(
            Gen.Select(
                JsonGen.GeoJson,
                JsonGen.ObjectWith(
                    ("id", Id.Null()),
                    ("kind", Gen.OneOf("marker", "line", "polygon", "circle", "bogus").Select(JsonGen.Quote).Null()),
                    ("label", JsonGen.StringValue.Null()),
                    ("color", JsonGen.StringValue.Null()),
                    ("radiusMeters", JsonGen.Number.Null())),
                (geometry, properties) => $"{{\"type\":\"Feature\",\"geometry\":{geometry},\"properties\":{properties}}}"),
            0, 4)
        .Select(features => $"{{\"type\":\"FeatureCollection\",\"features\":{features}}}");

    // ---- mutations ----

    /// <summary>What a mutation does, to which parameter (if one): the label names it, the kind only its type (failures group by kind).</summary>
    private sealed record Mutation(FuzzParameter? Parameter, string What, Func<List<KeyValuePair<string, string>>, string?> Apply, string? KindOfWhat = null)
    {
        public string Label => Parameter is null ? What : $"{Parameter.Name}: {What}";

        public string Kind => Parameter is null ? What : $"{Describe(Parameter)}: {KindOfWhat ?? What}";
    }

    private static string Describe(FuzzParameter parameter) =>
        parameter.Name == SessionId ? SessionId : parameter.IsAny ? "any-JSON argument" : $"{parameter.Type} argument";

    /// <summary>What is done to the generated arguments: nothing (three times in ten) or one of the mutations.</summary>
    private static Gen<Mutation> Mutations(FuzzTool tool)
    {
        var all = tool.Parameters;
        var typed = all.Where(p => !p.IsAny).ToArray();
        var required = all.Where(p => p.Required).ToArray();
        var textual = all.Where(p => p.IsAny || p.Type == "string").ToArray();
        var mutations = new List<(int, IGen<Mutation>)>
        {
            (30, Gen.Const(new Mutation(null, "schema-typed values", Object))),
            (6, JsonGen.ObjectOf(JsonGen.Text, JsonGen.Any(2), 1, 5).Select(extra => new Mutation(null, "unknown extra arguments", args => Merge(Object(args), extra)))),
            (3, Gen.OneOf("[]", "\"x\"", "null", "1", "true", "").Select(json => new Mutation(null, json == "" ? "arguments left out" : $"arguments = {json}", _ => json == "" ? null : json))),
        };
        if (typed.Length > 0)
        {
            mutations.Add((20, from p in Gen.OneOf(typed)
                               from sample in Gen.OneOf(TypeSamples.Where(s => !p.Types.Contains(s.Kind) && !(s.Kind == "number" && p.Types.Contains("integer"))).ToArray())
                               select new Mutation(p, $"wrong type ({sample.Kind})", args => Object(Set(args, p.Name, sample.Json)))));
        }

        if (required.Length > 0)
        {
            mutations.Add((8, Gen.OneOf(required).Select(p => new Mutation(p, "required, left out", args => Object(args.Where(a => a.Key != p.Name))))));
        }

        if (all.Count > 0)
        {
            var any = Gen.OneOf(all.ToArray());
            mutations.Add((8, Gen.Select(any, JsonGen.ExtremeNumber, (p, n) => new Mutation(p, n, args => Object(Set(args, p.Name, n)),
                p.Type is "number" or "integer" ? null : "an extreme number (wrong type)"))));
            mutations.Add((3, Gen.Select(any, JsonGen.Huge, (p, huge) => new Mutation(p, "huge string", args => Object(Set(args, p.Name, JsonGen.Quote(huge)))))));
            mutations.Add((4, Gen.Select(any, JsonGen.DeeplyNested, (p, deep) => new Mutation(p, "deeply nested JSON", args => Object(Set(args, p.Name, deep))))));
            mutations.Add((3, Gen.Select(any, JsonGen.Any(1), (p, other) => new Mutation(p, "duplicate key", args => Object([.. args, new(p.Name, other)])))));
        }

        if (textual.Length > 0)
        {
            var text = Gen.OneOf(textual);
            mutations.Add((5, Gen.Select(text, JsonGen.LoneSurrogates, (p, s) => new Mutation(p, "lone surrogate", args => Object(Set(args, p.Name, JsonGen.Quote(s)))))));
            mutations.Add((5, Gen.Select(text, JsonGen.InvalidUtf8, (p, s) => new Mutation(p, "invalid UTF-8", args => Object(Set(args, p.Name, JsonGen.Quote(s)))))));
        }

        return Gen.Frequency(mutations.ToArray());
    }

    private static List<KeyValuePair<string, string>> Set(IEnumerable<KeyValuePair<string, string>> args, string name, string json) =>
        [.. args.Where(a => a.Key != name), new(name, json)];

    private static string Object(IEnumerable<KeyValuePair<string, string>> args) =>
        "{" + string.Join(",", args.Select(a => JsonGen.Quote(a.Key) + ":" + a.Value)) + "}";

    /// <summary>Two JSON objects' members in one (the extra ones after the generated ones).</summary>
    private static string Merge(string first, string second) =>
        second == "{}" ? first : first == "{}" ? second : first[..^1] + "," + second[1..];
}
