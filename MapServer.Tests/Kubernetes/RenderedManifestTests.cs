using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>What holds for both the Aspirate base and the production overlay, rendered by kubectl kustomize.</summary>
[Trait("Tier", "Deployment")]
public sealed partial class RenderedManifestTests
{
    public const string Namespace = "mcp-map-server";

    public static TheoryData<string> Folders => new() { "aspirate-output", "deploy/production", "deploy/production-gateway" };

    /// <summary>The production overlays: behind an Ingress controller, and behind a Gateway API Gateway.</summary>
    public static TheoryData<string> Overlays => new() { "deploy/production", "deploy/production-gateway" };

    internal static Task<Rendered> RenderAsync(string folder) => Kustomize.RenderAsync(Path.Combine(Repository.Root, folder));

    internal static V1Container Container(V1Deployment deployment) => Assert.Single(deployment.Spec.Template.Spec.Containers);

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Rendered_objects_live_in_the_mcp_map_server_namespace(string folder)
    {
        var rendered = await RenderAsync(folder);

        Assert.Equal(Namespace, Assert.Single(rendered.All<V1Namespace>()).Metadata.Name);
        Assert.All(rendered.Objects.Where(o => o is not V1Namespace), o => Assert.Equal(Namespace, o.Metadata.NamespaceProperty));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Api_and_redis_carry_the_seed_guides_labels_names_and_ports(string folder)
    {
        var rendered = await RenderAsync(folder);

        var api = rendered.Named<V1Deployment>("mcp-map-server");
        Assert.Equal("mcp-map-server", api.Spec.Template.Metadata.Labels["app"]);
        Assert.Equal("mcp-map-server", api.Spec.Selector.MatchLabels["app"]);
        var apiPort = Assert.Single(Container(api).Ports);
        Assert.Equal(8081, apiPort.ContainerPort);

        var apiService = rendered.Named<V1Service>("mcp-map-server");
        Assert.Equal("mcp-map-server", apiService.Spec.Selector["app"]);
        var servicePort = Assert.Single(apiService.Spec.Ports);
        Assert.Equal(80, servicePort.Port);
        Assert.Equal("8081", servicePort.TargetPort.Value);

        var redis = rendered.Named<V1Deployment>("redis");
        Assert.Equal("redis", redis.Spec.Template.Metadata.Labels["app"]);
        Assert.StartsWith("docker.io/library/redis:", Container(redis).Image, StringComparison.Ordinal);
        var redisService = rendered.Named<V1Service>("redis");
        Assert.Equal("redis", redisService.Spec.Selector["app"]);
        Assert.Equal(6379, Assert.Single(redisService.Spec.Ports).Port);

        Assert.All(rendered.All<V1Deployment>(), d => Assert.Equal("IfNotPresent", Container(d).ImagePullPolicy));
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Viewer_reaches_the_api_through_its_service_port(string folder)
    {
        var rendered = await RenderAsync(folder);

        var viewerEnv = rendered.Named<V1ConfigMap>("map-viewer-env").Data;
        var apiService = rendered.Named<V1Service>("mcp-map-server");
        var url = new Uri(viewerEnv["services__mcp-map-server__http__0"]);
        Assert.Equal(apiService.Metadata.Name, url.Host);
        Assert.Contains(apiService.Spec.Ports, p => p.Port == url.Port);
        Assert.Equal(viewerEnv["services__mcp-map-server__http__0"], viewerEnv["MCP_MAP_SERVER_HTTP"]);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Api_listens_on_8081_whatever_aspnetcore_urls_says(string folder)
    {
        var rendered = await RenderAsync(folder);

        // Aspirate always adds ASPNETCORE_URLS=http://+:8080; Kestrel's endpoint configuration overrides it.
        var env = rendered.Named<V1ConfigMap>("mcp-map-server-env").Data;
        Assert.Equal("http://+:8081", env["Kestrel__Endpoints__http__Url"]);
        Assert.Equal("8081", env["HTTP_PORTS"]);
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public async Task Rendered_yaml_has_no_placeholders_and_no_plaintext_secrets(string folder)
    {
        var rendered = await RenderAsync(folder);

        Assert.DoesNotContain(rendered.Objects, o => o.Kind == "Secret");
        foreach (var o in rendered.Objects)
        {
            if (o is V1ConfigMap { Metadata.Name: var name } map && name.StartsWith("mcp-map-server-dashboard", StringComparison.Ordinal))
            {
                // A Grafana dashboard is JSON: braces are its syntax; Aspire expressions must still be gone.
                Assert.All(map.Data.Values, json => Assert.DoesNotMatch(AspireExpression(), json));
                continue;
            }

            var yaml = KubernetesYaml.Serialize(o);
            // `{}` is YAML's empty mapping (a select-all podSelector), not a placeholder.
            Assert.False(yaml.Replace("{}", string.Empty, StringComparison.Ordinal).Contains('{', StringComparison.Ordinal),
                $"{o.Kind}/{o.Metadata.Name} holds a placeholder:{Environment.NewLine}{yaml}");
            Assert.DoesNotMatch(PasswordLiteral(), yaml);
        }

        foreach (var map in rendered.All<V1ConfigMap>())
        {
            Assert.DoesNotContain(map.Data.Keys, key => SecretName().IsMatch(key));
        }

        var containers = rendered.PodTemplates().SelectMany(p => p.Template.Spec.Containers);
        foreach (var env in containers.SelectMany(c => c.Env ?? []).Where(e => SecretName().IsMatch(e.Name)))
        {
            Assert.True(env.ValueFrom?.SecretKeyRef is not null, $"{env.Name} must come from a Secret, not a literal.");
        }
    }

    /// <summary>password= followed by anything but a Kubernetes $(VAR) reference.</summary>
    [GeneratedRegex(@"password=(?!\$\()", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordLiteral();

    [GeneratedRegex("(PASSWORD|SECRET|TOKEN|AUTH|APIKEY|API_KEY)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"\{[A-Za-z0-9-]+\.(bindings|connectionString|value|inputs)")]
    private static partial Regex AspireExpression();
}
