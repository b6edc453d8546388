using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace MapServer.Tests.Reliability.Fuzzing;

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

    /// <summary>
    /// Records a failure of <paramref name="kind"/> in <paramref name="target"/> (a tool, or empty); the first case of a
    /// kind is kept as its example, with its detailed <paramref name="label"/>.
    /// </summary>
    public void Add(string kind, string target, string label, string seed, string request, string response) =>
        _kinds.AddOrUpdate(kind, _ => new Finding(target, $"seed {seed} ({label})", request, response), (_, finding) => finding.Hit(target));

    /// <summary>Every kind, most frequent first (<paramref name="max"/> of them), with its example.</summary>
    public string Report(int cases, string runSeed, int max = Listed)
    {
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"{Failures:N0} of {cases:N0} cases, {Kinds} kinds (run seed {runSeed}; replay one case: FUZZ_SEED=<case seed> FUZZ_CASES=1).");
        foreach (var (kind, finding) in _kinds.OrderByDescending(k => k.Value.Count).ThenBy(k => k.Key, StringComparer.Ordinal).Take(max))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"- {finding.Count}× {kind}{finding.Targets}");
            report.AppendLine(CultureInfo.InvariantCulture, $"    {finding.Example}: {finding.Request}");
            report.AppendLine(CultureInfo.InvariantCulture, $"    → {finding.Response}");
        }

        if (Kinds > max)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"… and {Kinds - max} more kinds (the test output lists all).");
        }

        return report.ToString();
    }

    private sealed class Finding(string target, string example, string request, string response)
    {
        private readonly ConcurrentDictionary<string, bool> _targets = new(StringComparer.Ordinal) { [target] = true };
        private int _count = 1;

        public string Example => example;

        public string Request => request;

        public string Response => response;

        public int Count => _count;

        /// <summary>The tools this kind of failure was seen in, if any.</summary>
        public string Targets => _targets.Keys.Where(t => t.Length > 0).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } tools
            ? $" [in {tools.Count}: {string.Join(", ", tools)}]"
            : "";

        public Finding Hit(string target)
        {
            _targets.TryAdd(target, true);
            Interlocked.Increment(ref _count);
            return this;
        }
    }
}
