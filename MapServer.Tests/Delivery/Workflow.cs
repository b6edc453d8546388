using YamlDotNet.Serialization;

namespace MapServer.Tests.Delivery;

/// <summary>A GitHub Actions workflow of .github/workflows, parsed: its triggers, jobs and steps, read as the runner reads them.</summary>
internal sealed class Workflow(string path, Dictionary<object, object> root)
{
    public string Path { get; } = path;

    public static Workflow Load(string fileName)
    {
        var path = System.IO.Path.Combine(Kubernetes.Repository.Root, ".github", "workflows", fileName);
        return new Workflow(path, new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(path)));
    }

    public IReadOnlyCollection<string> Triggers => ((Dictionary<object, object>)root["on"]).Keys.Select(k => (string)k).ToList();

    public Dictionary<object, object> Trigger(string name) => (Dictionary<object, object>)((Dictionary<object, object>)root["on"])[name];

    public Dictionary<object, object> Job(string name) => (Dictionary<object, object>)((Dictionary<object, object>)root["jobs"])[name];

    public IReadOnlyList<string> JobNames => ((Dictionary<object, object>)root["jobs"]).Keys.Select(k => (string)k).ToList();

    /// <summary>A job's steps, in order.</summary>
    public IReadOnlyList<Dictionary<object, object>> Steps(string job) => ((List<object>)Job(job)["steps"]).Cast<Dictionary<object, object>>().ToList();

    /// <summary>The index of a job's first step whose run script contains <paramref name="text"/>; -1 when none does.</summary>
    public int StepRunning(string job, string text) =>
        Steps(job).Select((step, i) => (step, i)).FirstOrDefault(s => s.step.TryGetValue("run", out var run) && ((string)run).Contains(text, StringComparison.Ordinal), (null!, -1)).Item2;

    public static string? Value(Dictionary<object, object> map, string key) => map.TryGetValue(key, out var value) ? value as string : null;
}
