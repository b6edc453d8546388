using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>deploy/production-gateway: the production overlay behind a Gateway API Gateway instead of an Ingress.</summary>
[Trait("Tier", "Deployment")]
public sealed class GatewayOverlayTests
{
    private static Task<Rendered> RenderAsync() => RenderedManifestTests.RenderAsync("deploy/production-gateway");

    /// <summary>The (service, port) a request path reaches: the longest matching prefix wins, prefixes match whole path segments.</summary>
    private static (string Service, int Port) Route(IEnumerable<(string Prefix, string Service, int Port)> routes, string path) =>
        routes.Where(r => r.Prefix == "/" || path == r.Prefix || path.StartsWith(r.Prefix.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderByDescending(r => r.Prefix.Length)
            .Select(r => (r.Service, r.Port))
            .First();

    private static List<(string Prefix, string Service, int Port)> Routes(HttpRoute route) =>
        route.Spec.Rules.SelectMany(rule => rule.Matches.Select(m =>
        {
            Assert.Equal("PathPrefix", m.Path.Type);
            var backend = Assert.Single(rule.BackendRefs);
            return (m.Path.Value, backend.Name, backend.Port);
        })).ToList();

    [Fact]
    public async Task Gateway_overlay_has_an_http_route_and_no_ingress()
    {
        var rendered = await RenderAsync();

        Assert.Empty(rendered.All<V1Ingress>());
        Assert.Equal("gateway.networking.k8s.io/v1", rendered.Named<HttpRoute>("mcp-map-server").ApiVersion);
        Assert.DoesNotContain(rendered.All<V1NetworkPolicy>(), p => p.Metadata.Name.StartsWith("ingress-controller-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Http_route_sends_every_path_where_the_production_ingress_does()
    {
        var route = Routes((await RenderAsync()).Named<HttpRoute>("mcp-map-server"));
        var ingress = (await RenderedManifestTests.RenderAsync("deploy/production")).Named<V1Ingress>("mcp-map-server");
        var ingressRoutes = ingress.Spec.Rules.Single().Http.Paths
            .Select(p => (p.Path, p.Backend.Service.Name, p.Backend.Service.Port.Number ?? 0))
            .ToList();

        var paths = ingressRoutes.Select(r => r.Path).Concat(route.Select(r => r.Prefix))
            .SelectMany(p => new[] { p, p.TrimEnd('/') + "/sub/path", p.TrimEnd('/') + "x" })
            .Distinct();
        foreach (var path in paths)
        {
            Assert.True(Route(ingressRoutes, path) == Route(route, path), $"{path}: Ingress -> {Route(ingressRoutes, path)}, HTTPRoute -> {Route(route, path)}");
        }

        Assert.Equal(("mcp-map-server", 80), Route(route, "/.well-known/oauth-protected-resource"));
        Assert.Equal(("mcp-map-server", 80), Route(route, "/.well-known/oauth-protected-resource/mcp"));
    }

    [Fact]
    public async Task Http_route_never_times_out_mcp_sse_or_blazor_streams()
    {
        var rules = (await RenderAsync()).Named<HttpRoute>("mcp-map-server").Spec.Rules;

        foreach (var stream in new[] { "/mcp", "/events", "/_blazor" })
        {
            var rule = Assert.Single(rules, r => r.Matches.Any(m => m.Path.Value == stream));
            var timeouts = rule.Timeouts;
            Assert.NotNull(timeouts);
            Assert.Equal("0s", timeouts.Request);
            Assert.True(timeouts.BackendRequest is null or "0s", $"{stream}: backendRequest {timeouts.BackendRequest}");
        }
    }

    [Fact]
    public async Task Http_route_serves_the_public_host_over_https_on_the_shared_gateway_with_the_certificate_it_may_read()
    {
        var rendered = await RenderAsync();
        var route = rendered.Named<HttpRoute>("mcp-map-server");

        var host = rendered.GeneratedConfigMap("public-endpoint").Data["host"];
        Assert.Equal([host], route.Spec.Hostnames);
        var parent = Assert.Single(route.Spec.ParentRefs);
        Assert.Equal(("gateway.networking.k8s.io", "Gateway", "public-gateway", "https"), (parent.Group, parent.Kind, parent.Name, parent.SectionName));
        Assert.NotNull(parent.Namespace);

        // Plain HTTP on the same Gateway only redirects to HTTPS, as the Ingress's ssl-redirect does.
        var redirect = rendered.Named<HttpRoute>("mcp-map-server-https-redirect");
        Assert.Equal([host], redirect.Spec.Hostnames);
        var httpParent = Assert.Single(redirect.Spec.ParentRefs);
        Assert.Equal((parent.Name, parent.Namespace, "http"), (httpParent.Name, httpParent.Namespace, httpParent.SectionName));
        var rule = Assert.Single(redirect.Spec.Rules);
        Assert.Equal("/", Assert.Single(rule.Matches).Path.Value);
        Assert.Empty(rule.BackendRefs);
        var filter = Assert.Single(rule.Filters);
        Assert.Equal(("RequestRedirect", "https", (int?)301), (filter.Type, filter.RequestRedirect?.Scheme, filter.RequestRedirect?.StatusCode));

        // TLS ends at the Gateway, in its own namespace: it may read cert-manager's Secret here only through a grant.
        var certificate = rendered.Named<Certificate>("mcp-map-tls");
        Assert.Equal([host], certificate.Spec.DnsNames);
        var grant = Assert.Single(rendered.All<ReferenceGrant>());
        Assert.Contains(grant.Spec.From, f => (f.Group, f.Kind, f.Namespace) == ("gateway.networking.k8s.io", "Gateway", parent.Namespace));
        Assert.Contains(grant.Spec.To, t => (t.Group, t.Kind, t.Name) == ("", "Secret", certificate.Spec.SecretName));
    }
}
