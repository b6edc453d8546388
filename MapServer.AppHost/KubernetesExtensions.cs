namespace MapServer.AppHost;

/// <summary>
/// The publish-mode model: what the manifest must say so that Aspirate 9.1 turns it into the
/// Kubernetes YAML in <c>aspirate-output/</c> (see docs/kubernetes.md). Run mode is untouched.
/// </summary>
public static class KubernetesExtensions
{
    /// <summary>The port the api container listens on (the seed guide's 8081).</summary>
    public const int ApiContainerPort = 8081;

    /// <summary>The port of the api's Service <c>mcp-map-server</c>.</summary>
    public const int ApiServicePort = 80;

    /// <summary>
    /// When publishing: Redis without a generated password (the password is a Secret created at
    /// deploy time, wired in by the production overlay), no https endpoints (TLS ends at the
    /// ingress), the api on container port 8081 behind Service port 80, and the viewer calling the
    /// api through that Service port.
    /// </summary>
    public static void PublishForKubernetes(this IDistributedApplicationBuilder builder, MapStateRedis redis,
        IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> viewer, IResourceBuilder<ProjectResource> renderer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(viewer);
        ArgumentNullException.ThrowIfNull(renderer);

        if (!builder.ExecutionContext.IsPublishMode)
        {
            return;
        }

        if (redis.Connection.Resource is RedisResource redisResource)
        {
            // A generated parameter would make Aspirate write a fresh random password into the
            // ConfigMaps on every run: a committed secret. Kubernetes supplies it instead.
            var password = redisResource.PasswordParameter;
            builder.CreateResourceBuilder(redisResource).WithPassword(null);
            if (password is not null)
            {
                builder.Resources.Remove(password);
            }
        }

        RemoveHttpsEndpoint(api);
        RemoveHttpsEndpoint(viewer);
        RemoveHttpsEndpoint(renderer);

        api.WithEndpoint("http", endpoint =>
        {
            endpoint.Port = ApiServicePort;
            endpoint.TargetPort = ApiContainerPort;
        });

        // Aspirate appends ASPNETCORE_URLS=http://+:8080; to every project; Kestrel's own endpoint
        // configuration wins over it, so the container listens where the binding says.
        var apiHttp = api.GetEndpoint("http");
        api.WithEnvironment("Kestrel__Endpoints__http__Url",
            ReferenceExpression.Create($"http://+:{apiHttp.Property(EndpointProperty.TargetPort)}"));

        // Aspirate resolves {api.bindings.http.url} to the container port, which the Service does
        // not expose; host and port resolve to the Service name and its port.
        var apiThroughService = ReferenceExpression.Create(
            $"http://{apiHttp.Property(EndpointProperty.Host)}:{apiHttp.Property(EndpointProperty.Port)}");
        viewer
            .WithEnvironment($"services__{api.Resource.Name}__http__0", apiThroughService)
            .WithEnvironment($"{api.Resource.Name.Replace('-', '_').ToUpperInvariant()}_HTTP", apiThroughService);
    }

    private static void RemoveHttpsEndpoint(IResourceBuilder<ProjectResource> project)
    {
        foreach (var endpoint in project.Resource.Annotations.OfType<EndpointAnnotation>()
                     .Where(e => string.Equals(e.Name, "https", StringComparison.Ordinal)).ToList())
        {
            project.Resource.Annotations.Remove(endpoint);
        }
    }
}
