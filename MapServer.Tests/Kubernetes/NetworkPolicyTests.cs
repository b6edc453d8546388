using k8s;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>
/// Both production overlays deny all traffic in the namespace by default and allow exactly the
/// paths the application needs, checked by evaluating the rendered NetworkPolicies.
/// </summary>
[Trait("Tier", "Deployment")]
public sealed class NetworkPolicyTests
{
    private const string Namespace = RenderedManifestTests.Namespace;

    public static TheoryData<string> Overlays => RenderedManifestTests.Overlays;

    /// <summary>Each overlay, and the namespace its edge proxy (ingress controller or Gateway) runs in.</summary>
    public static TheoryData<string, string> OverlaysAndEdges => new()
    {
        { "deploy/production", "ingress-nginx" },
        { "deploy/production-gateway", "gateway-system" },
    };

    private static async Task<(List<V1NetworkPolicy> Policies, Func<string, NetworkPeer> Pod)> RenderAsync(string folder)
    {
        var rendered = await RenderedManifestTests.RenderAsync(folder);
        var pods = rendered.PodTemplates().ToDictionary(p => p.Workload, p => NetworkPeer.Pod(Namespace, p.Template.Metadata.Labels));
        return (rendered.All<V1NetworkPolicy>().ToList(), workload => pods[workload]);
    }

    private static readonly NetworkPeer ClusterDns =
        NetworkPeer.Pod("kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });

    private static readonly NetworkPeer AcmeSolver =
        NetworkPeer.Pod(Namespace, new Dictionary<string, string> { ["acme.cert-manager.io/http01-solver"] = "true" });

    [Theory]
    [MemberData(nameof(OverlaysAndEdges))]
    public async Task A_default_deny_policy_isolates_every_pod_for_ingress_and_egress(string folder, string edgeNamespace)
    {
        var (policies, _) = await RenderAsync(folder);

        Assert.Contains(policies, p =>
            p.Spec.PodSelector.MatchLabels is null or { Count: 0 }
            && p.Spec.PodSelector.MatchExpressions is null or { Count: 0 }
            && p.Spec.PolicyTypes is { } types && types.Contains("Ingress") && types.Contains("Egress")
            && p.Spec.Ingress is null or { Count: 0 }
            && p.Spec.Egress is null or { Count: 0 });

        // A pod nobody planned for gets nothing in and nothing out.
        var stranger = NetworkPeer.Pod(Namespace, "something-new");
        Assert.False(NetworkPolicies.Allows(policies, NetworkPeer.Pod(edgeNamespace, "edge"), stranger, 8080));
        Assert.False(NetworkPolicies.Allows(policies, stranger, NetworkPeer.External("93.184.215.14"), 443));
        Assert.False(NetworkPolicies.Allows(policies, stranger, ClusterDns, 53, "UDP"));
    }

    [Theory]
    [MemberData(nameof(OverlaysAndEdges))]
    public async Task Only_the_api_reaches_redis_on_6379(string folder, string edgeNamespace)
    {
        var (policies, pod) = await RenderAsync(folder);

        Assert.True(NetworkPolicies.Allows(policies, pod("mcp-map-server"), pod("redis"), 6379));
        Assert.False(NetworkPolicies.Allows(policies, pod("mcp-map-server"), pod("redis"), 6380));
        Assert.False(NetworkPolicies.Allows(policies, pod("map-viewer"), pod("redis"), 6379));
        Assert.False(NetworkPolicies.Allows(policies, pod("redis-backup"), pod("redis"), 6379));
        Assert.False(NetworkPolicies.Allows(policies, NetworkPeer.Pod(edgeNamespace, "edge"), pod("redis"), 6379));
        Assert.False(NetworkPolicies.Allows(policies, NetworkPeer.Pod("monitoring", "prometheus"), pod("redis"), 6379));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Viewer_reaches_the_api_on_its_container_port(string folder)
    {
        var (policies, pod) = await RenderAsync(folder);

        Assert.True(NetworkPolicies.Allows(policies, pod("map-viewer"), pod("mcp-map-server"), 8081));
        Assert.False(NetworkPolicies.Allows(policies, pod("redis"), pod("mcp-map-server"), 8081));
        Assert.False(NetworkPolicies.Allows(policies, pod("mcp-map-server"), pod("map-viewer"), 8080));
    }

    [Theory]
    [MemberData(nameof(OverlaysAndEdges))]
    public async Task Edge_proxy_reaches_the_viewer_the_api_and_the_acme_solver_and_nothing_else(string folder, string edgeNamespace)
    {
        var (policies, pod) = await RenderAsync(folder);
        var edge = NetworkPeer.Pod(edgeNamespace, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "edge-proxy" });

        Assert.True(NetworkPolicies.Allows(policies, edge, pod("map-viewer"), 8080));
        Assert.True(NetworkPolicies.Allows(policies, edge, pod("mcp-map-server"), 8081));
        Assert.True(NetworkPolicies.Allows(policies, edge, AcmeSolver, 8089));
        Assert.False(NetworkPolicies.Allows(policies, edge, pod("redis"), 6379));
        Assert.False(NetworkPolicies.Allows(policies, edge, pod("mcp-map-server"), 9090));

        // Other namespaces are not the edge: neither the other overlay's proxy nor anyone else.
        foreach (var other in new[] { "ingress-nginx", "gateway-system", "default" }.Where(n => n != edgeNamespace))
        {
            Assert.False(NetworkPolicies.Allows(policies, NetworkPeer.Pod(other, "edge"), pod("map-viewer"), 8080), other);
            Assert.False(NetworkPolicies.Allows(policies, NetworkPeer.Pod(other, "edge"), pod("mcp-map-server"), 8081), other);
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Api_viewer_and_renderer_resolve_names_through_the_cluster_dns_and_nobody_else_needs_to(string folder)
    {
        var (policies, pod) = await RenderAsync(folder);

        foreach (var workload in new[] { "mcp-map-server", "map-viewer", "map-renderer" })
        {
            Assert.True(NetworkPolicies.Allows(policies, pod(workload), ClusterDns, 53, "UDP"), workload);
            Assert.True(NetworkPolicies.Allows(policies, pod(workload), ClusterDns, 53, "TCP"), workload);
            Assert.False(NetworkPolicies.Allows(policies, pod(workload), NetworkPeer.Pod("default", "dns"), 53, "UDP"), workload);
        }

        Assert.False(NetworkPolicies.Allows(policies, pod("redis"), ClusterDns, 53, "UDP"));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Prometheus_in_the_monitoring_namespace_scrapes_the_api(string folder)
    {
        var (policies, pod) = await RenderAsync(folder);
        var prometheus = NetworkPeer.Pod("monitoring", new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" });

        Assert.True(NetworkPolicies.Allows(policies, prometheus, pod("mcp-map-server"), 8081));
        Assert.False(NetworkPolicies.Allows(policies, NetworkPeer.Pod("default", "prometheus"), pod("mcp-map-server"), 8081));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Redis_and_its_backup_job_send_nothing_anywhere(string folder)
    {
        var (policies, pod) = await RenderAsync(folder);

        foreach (var workload in new[] { "redis", "redis-backup" })
        {
            Assert.False(NetworkPolicies.Allows(policies, pod(workload), NetworkPeer.External("93.184.215.14"), 443), workload);
            Assert.False(NetworkPolicies.Allows(policies, pod(workload), pod("mcp-map-server"), 8081), workload);
            Assert.False(NetworkPolicies.Allows(policies, pod(workload), ClusterDns, 53, "UDP"), workload);
        }

        Assert.False(NetworkPolicies.Allows(policies, pod("mcp-map-server"), pod("redis-backup"), 6379));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Api_reaches_no_public_address_in_api_key_mode(string folder)
    {
        var (policies, pod) = await RenderAsync(folder);

        Assert.False(NetworkPolicies.Allows(policies, pod("mcp-map-server"), NetworkPeer.External("93.184.215.14"), 443));
        Assert.DoesNotContain(policies, p => p.Metadata.Name == "mcp-map-server-oauth-egress");
    }

    [Fact]
    public async Task Oauth_egress_policy_opens_https_to_public_addresses_for_the_api_only()
    {
        var (policies, pod) = await RenderAsync("deploy/production");
        var file = Path.Combine(Repository.ProductionOverlay, "networkpolicy-oauth-egress.yaml");
        var oauth = KubernetesYaml.Deserialize<V1NetworkPolicy>(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken), strict: true);
        oauth.Metadata.NamespaceProperty = Namespace; // what the overlay's namespace transformer does once the file is listed
        policies.Add(oauth);

        Assert.True(NetworkPolicies.Allows(policies, pod("mcp-map-server"), NetworkPeer.External("93.184.215.14"), 443));
        Assert.False(NetworkPolicies.Allows(policies, pod("mcp-map-server"), NetworkPeer.External("93.184.215.14"), 80));
        Assert.False(NetworkPolicies.Allows(policies, pod("mcp-map-server"), NetworkPeer.External("169.254.169.254"), 443));
        Assert.False(NetworkPolicies.Allows(policies, pod("mcp-map-server"), NetworkPeer.External("10.1.2.3"), 443));
        Assert.False(NetworkPolicies.Allows(policies, pod("map-viewer"), NetworkPeer.External("93.184.215.14"), 443));
        Assert.Contains("networkpolicy-oauth-egress.yaml",
            await File.ReadAllTextAsync(Path.Combine(Repository.ProductionOverlay, "kustomization.yaml"), TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Only_the_api_asks_the_renderer_which_reaches_the_viewer_and_public_hosts_but_nothing_else_in_the_cluster(string folder)
    {
        var (policies, pod) = await RenderAsync(folder);

        Assert.True(NetworkPolicies.Allows(policies, pod("mcp-map-server"), pod("map-renderer"), 8080));
        Assert.False(NetworkPolicies.Allows(policies, pod("map-viewer"), pod("map-renderer"), 8080));
        Assert.True(NetworkPolicies.Allows(policies, pod("map-renderer"), pod("map-viewer"), 8080));
        Assert.True(NetworkPolicies.Allows(policies, pod("map-renderer"), NetworkPeer.External("93.184.215.14"), 443)); // tile hosts
        Assert.False(NetworkPolicies.Allows(policies, pod("map-renderer"), pod("mcp-map-server"), 8081));
        Assert.False(NetworkPolicies.Allows(policies, pod("map-renderer"), pod("redis"), 6379));
        Assert.False(NetworkPolicies.Allows(policies, pod("map-renderer"), NetworkPeer.External("169.254.169.254"), 80)); // cloud metadata
        Assert.False(NetworkPolicies.Allows(policies, pod("map-renderer"), NetworkPeer.External("10.1.2.3"), 443));
    }
}
