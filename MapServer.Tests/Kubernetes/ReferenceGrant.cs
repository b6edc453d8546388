using System.Text.Json.Serialization;

namespace MapServer.Tests.Kubernetes;

/// <summary>Gateway API's ReferenceGrant (gateway.networking.k8s.io/v1beta1), the fields this project uses.</summary>
internal sealed class ReferenceGrant : CustomResource<ReferenceGrant.GrantSpec>
{
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
