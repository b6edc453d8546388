using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace MapServer.Tests.Reliability;

/// <summary>
/// The failures of one fuzz run, grouped by kind (what was wrong, for which kind of input), each with how many
/// cases hit it and the first example: its case seed, request and response. Collected, not thrown, so one run
/// shows every kind of failure instead of the first.
/// </summary>
public sealed class FuzzFindings
{
    private const int Listed = 30;

    private readonly ConcurrentDictionary<string, Finding> _kinds = new(StringComparer.Ordinal);

    public int Failures => _kinds.Values.Sum(f => f.Count);

    public int Kinds => _kinds.Count;

    /// <summary>Records a failure of <paramref name="kind"/>; the first case of a kind is kept as its example.</summary>
    public void Add(string kind, string seed, string request, string response) =>
        _kinds.AddOrUpdate(kind, _ => new Finding(seed, request, response), (_, finding) => finding.Hit());

    /// <summary>Every kind, most frequent first (<paramref name="max"/> of them), with its example.</summary>
    public string Report(int cases, string runSeed, int max = Listed)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{Failures:N0} of {cases:N0} cases, {Kinds} kinds (run seed {runSeed}; replay one case: FUZZ_SEED=<case seed> FUZZ_CASES=1).");
        foreach (var (kind, finding) in _kinds.OrderByDescending(k => k.Value.Count).ThenBy(k => k.Key, StringComparer.Ordinal).Take(max))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- {finding.Count}× {kind}");
            report.AppendLine(CultureInfo.InvariantCulture, $"    seed {finding.Seed}: {finding.Request}");
            report.AppendLine(CultureInfo.InvariantCulture, $"    → {finding.Response}");
        }

        if (Kinds > max)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"… and {Kinds - max} more kinds (the test output lists all).");
        }

        return report.ToString();
    }

    private sealed class Finding(string seed, string request, string response)
    {
        private int _count = 1;

        public string Seed => seed;

        public string Request => request;

        public string Response => response;

        public int Count => _count;

        public Finding Hit()
        {
            Interlocked.Increment(ref _count);
            return this;
        }
    }
}
