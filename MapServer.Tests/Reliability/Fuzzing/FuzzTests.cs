using System.Collections.Concurrent;
using System.Diagnostics;
using CsCheck;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// Fuzzes the api over real HTTP (one replica on Garnet): every tool with arguments from its input schema, mutated;
/// and /mcp, /events, /sessions, layer data and viewport reports with junk messages, headers, paths and bodies.
/// Each case is one request bounded by <see cref="FuzzSettings.CaseTimeout"/>. Failures are collected, not thrown,
/// and listed by kind with a replayable case seed; at the end the sentinel session must be as it was.
/// </summary>
[Trait("Tier", "Fuzz")]
public sealed class FuzzTests(FuzzApi api) : IClassFixture<FuzzApi>
{
    /// <summary>After this many requests hang, the api is taken to be stuck and the remaining cases are skipped.</summary>
    private const int MaxHangs = 10;

    [Fact]
    public async Task Every_tool_answers_fuzzed_arguments_with_a_result_or_an_error_that_says_why_never_a_5xx_or_a_hang() =>
        await FuzzAsync(new ToolCallGen(api.Tools, api.Targets).Calls);

    [Fact]
    public async Task Junk_protocol_messages_headers_paths_and_bodies_on_every_route_never_get_a_5xx_or_a_hang() =>
        await FuzzAsync(new HttpGen(api.Targets).Requests);

    private async Task FuzzAsync(Gen<FuzzRequest> requests)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var seed = FuzzSettings.NewRunSeed();
        output?.WriteLine($"FUZZ_SEED={seed} FUZZ_CASES={FuzzSettings.Cases} (the seed generates the first case; each failure names its own)");

        var failures = new FuzzFindings();
        var notes = new FuzzFindings();
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var cases = 0;
        var hangs = 0;
        var clock = Stopwatch.StartNew();
        await new SeededGen(requests).SampleAsync(
            async (caseSeed, request) =>
            {
                if (Volatile.Read(ref hangs) >= MaxHangs)
                {
                    return; // the api is stuck: the hangs so far are the finding, not hours of timeouts
                }

                var response = await api.Client.SendAsync(request, cancellationToken);
                Interlocked.Increment(ref cases);
                if (response.TimedOut)
                {
                    Interlocked.Increment(ref hangs);
                }

                var target = request.Tool ?? request.Label.Split(':')[0];
                outcomes.AddOrUpdate($"{target} → {FuzzVerdict.Outcome(response)}", 1, (_, n) => n + 1);
                if (FuzzVerdict.Problem(request, response) is { } problem)
                {
                    failures.Add($"{problem} ← {request.Kind}", request.Tool ?? "", request.Label, caseSeed, request.Excerpt(), response.Excerpt());
                }
                else if (FuzzVerdict.Note(response) is { } note)
                {
                    notes.Add($"{note} ← {request.Kind}", request.Tool ?? "", request.Label, caseSeed, request.Excerpt(), response.Excerpt());
                }
            },
            seed: seed,
            iter: FuzzSettings.Cases,
            threads: FuzzSettings.Threads);

        var sentinel = await api.SentinelStateAsync();
        if (sentinel != api.SentinelBefore)
        {
            failures.Add("the sentinel session changed", "", "after every case", seed, "before: " + FuzzRequest.Shorten(api.SentinelBefore, 400), "after: " + FuzzRequest.Shorten(sentinel, 400));
        }

        output?.WriteLine($"{cases:N0} cases in {clock.Elapsed.TotalSeconds:0.0} s{(hangs >= MaxHangs ? $", the rest skipped after {hangs} hangs" : "")}. Answers:");
        output?.WriteLine(string.Join("\n", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"  {o.Key}: {o.Value}")));
        output?.WriteLine("Failing:");
        output?.WriteLine(failures.Report(cases, seed, max: int.MaxValue));
        if (notes.Kinds > 0)
        {
            output?.WriteLine("Not failures, but answers that could say more:");
            output?.WriteLine(notes.Report(cases, seed, max: int.MaxValue));
        }

        Assert.True(failures.Failures == 0, "Failing: " + failures.Report(cases, seed));
    }

    /// <summary>A fuzz request with the CsCheck seed that generates it (FUZZ_SEED replays it).</summary>
    private sealed class SeededGen(Gen<FuzzRequest> requests) : Gen<(string Seed, FuzzRequest Request)>
    {
        public override (string Seed, FuzzRequest Request) Generate(PCG pcg, Size? min, out Size size)
        {
            var seed = pcg.ToString(pcg.State);
            return (seed, requests.Generate(pcg, min, out size));
        }
    }
}
