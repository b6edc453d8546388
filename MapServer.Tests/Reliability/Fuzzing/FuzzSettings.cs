using System.Globalization;
using CsCheck;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// How a fuzz run is sized and seeded. <c>FUZZ_CASES</c>: cases per fuzz test (default 5,000, so 10,000 a run).
/// <c>FUZZ_SEED</c>: a CsCheck seed; the run's first case is generated from it, the rest from fresh seeds. Every
/// failure lists the seed of its own case, so <c>FUZZ_SEED=&lt;that seed&gt; FUZZ_CASES=1</c> sends that request again.
/// </summary>
public static class FuzzSettings
{
    /// <summary>Longer than this for one request (headers and body) is a hang.</summary>
    public static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Requests in flight at once: the server shares the machine's two cores with the test.</summary>
    public const int Threads = 4;

    public static int Cases { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var cases) && cases > 0
            ? cases
            : 5_000;

    /// <summary>FUZZ_SEED, else a fresh one (so the first case of every run is replayable too).</summary>
    public static string NewRunSeed() =>
        Environment.GetEnvironmentVariable("FUZZ_SEED") is { Length: > 0 } seed
            ? seed
            : new PCG((uint)Random.Shared.Next(), (ulong)Random.Shared.NextInt64()) is var pcg ? pcg.ToString(pcg.State) : "";
}
