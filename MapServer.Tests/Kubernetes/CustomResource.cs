using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>A custom resource as kubectl renders it: apiVersion, kind, metadata and a typed spec of the fields this project uses.</summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : new()
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();
}
