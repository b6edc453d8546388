using System.Text.Json.Serialization;

namespace MapServer.Tests.Kubernetes;

/// <summary>Gateway API's HTTPRoute (gateway.networking.k8s.io/v1), the fields this project uses.</summary>
internal sealed class HttpRoute : CustomResource<HttpRoute.RouteSpec>
{
    internal sealed class RouteSpec
    {
        [JsonPropertyName("parentRefs")]
        public IList<ParentReference> ParentRefs { get; init; } = [];

        [JsonPropertyName("hostnames")]
        public IList<string> Hostnames { get; init; } = [];

        [JsonPropertyName("rules")]
        public IList<Rule> Rules { get; init; } = [];
    }

    internal sealed class ParentReference
    {
        [JsonPropertyName("group")]
        public string? Group { get; set; }

        [JsonPropertyName("kind")]
        public string? Kind { get; set; }

        [JsonPropertyName("name")]
        public string Name { get; set; } = string.Empty;

        [JsonPropertyName("namespace")]
        public string? Namespace { get; set; }

        [JsonPropertyName("sectionName")]
        public string? SectionName { get; set; }
    }

    internal sealed class Rule
    {
        [JsonPropertyName("matches")]
        public IList<Match> Matches { get; init; } = [];

        [JsonPropertyName("backendRefs")]
        public IList<BackendReference> BackendRefs { get; init; } = [];

        [JsonPropertyName("filters")]
        public IList<Filter> Filters { get; init; } = [];

        [JsonPropertyName("timeouts")]
        public Timeouts? Timeouts { get; set; }
    }

    internal sealed class Match
    {
        [JsonPropertyName("path")]
        public PathMatch Path { get; set; } = new();
    }

    internal sealed class PathMatch
    {
        [JsonPropertyName("type")]
        public string Type { get; set; } = string.Empty;

        [JsonPropertyName("value")]
        public string Value { get; set; } = string.Empty;
    }

    internal sealed class BackendReference
    {
        [JsonPropertyName("name")]
        public string Name { get; set; } = string.Empty;

        [JsonPropertyName("port")]
        public int Port { get; set; }
    }

    internal sealed class Filter
    {
        [JsonPropertyName("type")]
        public string Type { get; set; } = string.Empty;

        [JsonPropertyName("requestRedirect")]
        public RequestRedirect? RequestRedirect { get; set; }
    }

    internal sealed class RequestRedirect
    {
        [JsonPropertyName("scheme")]
        public string? Scheme { get; set; }

        [JsonPropertyName("statusCode")]
        public int? StatusCode { get; set; }
    }

    internal sealed class Timeouts
    {
        [JsonPropertyName("request")]
        public string? Request { get; set; }

        [JsonPropertyName("backendRequest")]
        public string? BackendRequest { get; set; }
    }
}
