using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>The objects <c>kubectl kustomize</c> renders for a folder, each parsed strictly into its typed model.</summary>
internal sealed record Rendered(string Yaml, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects)
{
    public IEnumerable<T> All<T>() where T : IKubernetesObject<V1ObjectMeta> => Objects.OfType<T>();

    public T Named<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        All<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No {typeof(T).Name} named {name} in the rendered objects: " +
            string.Join(", ", Objects.Select(o => $"{o.Kind}/{o.Metadata.Name}")));

    /// <summary>Every pod the objects run, named by the workload that runs it.</summary>
    public IReadOnlyList<(string Workload, V1PodTemplateSpec Template)> PodTemplates() =>
        All<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(All<V1CronJob>().Select(c => (c.Metadata.Name, c.Spec.JobTemplate.Spec.Template)))
            .ToList();

    /// <summary>ConfigMaps from generators carry a content hash; find one by the name it was generated with.</summary>
    public V1ConfigMap GeneratedConfigMap(string name) =>
        All<V1ConfigMap>().Single(c => c.Metadata.Name == name
            || (c.Metadata.Name.StartsWith(name + "-", StringComparison.Ordinal) && c.Metadata.Name.Length == name.Length + 11));
}

internal static class Kustomize
{
    /// <summary>apiVersion/kind of every object the base and the overlay may hold; anything else is an error.</summary>
    private static readonly Dictionary<string, Type> TypeMap = new()
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Service"] = typeof(V1Service),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["batch/v1/CronJob"] = typeof(V1CronJob),
        ["policy/v1/PodDisruptionBudget"] = typeof(V1PodDisruptionBudget),
        ["autoscaling/v2/HorizontalPodAutoscaler"] = typeof(V2HorizontalPodAutoscaler),
        ["networking.k8s.io/v1/Ingress"] = typeof(V1Ingress),
        ["networking.k8s.io/v1/NetworkPolicy"] = typeof(V1NetworkPolicy),
        ["cert-manager.io/v1/Certificate"] = typeof(Certificate),
        ["gateway.networking.k8s.io/v1/HTTPRoute"] = typeof(HttpRoute),
        ["gateway.networking.k8s.io/v1beta1/ReferenceGrant"] = typeof(ReferenceGrant),
    };

    private static readonly ConcurrentDictionary<string, Lazy<Task<Rendered>>> Cache = new();

    public static Task<Rendered> RenderAsync(string directory) =>
        Cache.GetOrAdd(directory, d => new Lazy<Task<Rendered>>(() => RenderUncachedAsync(d))).Value;

    private static async Task<Rendered> RenderUncachedAsync(string directory)
    {
        var kubectl = Tool.FindKubectl();
        if (kubectl is null)
        {
            Assert.Skip("kubectl is not installed (needed for `kubectl kustomize`); install it to validate the Kubernetes YAML.");
        }

        var result = await Tool.RunAsync(kubectl, ["kustomize", directory], Repository.Root, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Describe($"kubectl kustomize {directory}"));

        var objects = new List<IKubernetesObject<V1ObjectMeta>>();
        foreach (var document in Regex.Split(result.StandardOutput, "^---$", RegexOptions.Multiline).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            var header = KubernetesYaml.Deserialize<KubernetesObject>(document);
            var key = $"{header.ApiVersion}/{header.Kind}";
            Assert.True(TypeMap.ContainsKey(key), $"Rendered {key} has no typed model here.");

            // strict: an unknown or misspelt field anywhere throws instead of vanishing.
            var parsed = KubernetesYaml.LoadAllFromString(document, TypeMap, strict: true).Single();
            Assert.IsType(TypeMap[key], parsed);
            objects.Add((IKubernetesObject<V1ObjectMeta>)parsed);
        }

        return new Rendered(result.StandardOutput, objects);
    }
}

/// <summary>cert-manager's Certificate (cert-manager.io/v1), the fields this project uses.</summary>
public sealed class Certificate : CustomResource<CertificateSpec>;

public sealed class CertificateSpec
{
    [JsonPropertyName("secretName")]
    public string SecretName { get; set; } = string.Empty;

    [JsonPropertyName("dnsNames")]
    public IList<string> DnsNames { get; init; } = [];

    [JsonPropertyName("issuerRef")]
    public CertificateIssuerReference IssuerRef { get; set; } = new();
}

public sealed class CertificateIssuerReference
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("group")]
    public string Group { get; set; } = string.Empty;
}
