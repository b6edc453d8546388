using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>Gateway API's ReferenceGrant (gateway.networking.k8s.io/v1beta1), the fields this project uses.</summary>
internal sealed class ReferenceGrant : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public GrantSpec Spec { get; set; } = new();

    internal sealed class GrantSpec
    {
        [JsonPropertyName("from")]
        public IList<From> From { get; init; } = [];

        [JsonPropertyName("to")]
        public IList<To> To { get; init; } = [];
    }

    internal sealed class From
    {
        [JsonPropertyName("group")]
        public string Group { get; set; } = string.Empty;

        [JsonPropertyName("kind")]
        public string Kind { get; set; } = string.Empty;

        [JsonPropertyName("namespace")]
        public string Namespace { get; set; } = string.Empty;
    }

    internal sealed class To
    {
        [JsonPropertyName("group")]
        public string Group { get; set; } = string.Empty;

        [JsonPropertyName("kind")]
        public string Kind { get; set; } = string.Empty;

        [JsonPropertyName("name")]
        public string? Name { get; set; }
    }
}
