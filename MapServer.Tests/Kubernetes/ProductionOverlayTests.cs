using System.Text.Json;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>deploy/production: every "Production Considerations" item of the seed guide, on top of the Aspirate base.</summary>
[Trait("Tier", "Deployment")]
public sealed class ProductionOverlayTests
{
    private static Task<Rendered> RenderAsync() => RenderedManifestTests.RenderAsync("deploy/production");

    private static V1Container Container(V1Deployment deployment) => RenderedManifestTests.Container(deployment);

    private static V1EnvVar Env(V1Container container, string name) =>
        Assert.Single(container.Env ?? [], e => e.Name == name);

    [Fact]
    public async Task Overlay_runs_two_api_replicas_behind_the_service()
    {
        var rendered = await RenderAsync();

        var api = rendered.Named<V1Deployment>("mcp-map-server");
        Assert.True(api.Spec.Replicas >= 2, $"replicas: {api.Spec.Replicas}");
        var service = rendered.Named<V1Service>("mcp-map-server");
        Assert.All(service.Spec.Selector, s => Assert.Equal(s.Value, api.Spec.Template.Metadata.Labels[s.Key]));
        Assert.Equal((80, "8081"), (service.Spec.Ports.Single().Port, service.Spec.Ports.Single().TargetPort.Value));
    }

    [Fact]
    public async Task Overlay_rolls_api_updates_while_a_disruption_budget_keeps_one_pod_serving()
    {
        var rendered = await RenderAsync();

        var strategy = rendered.Named<V1Deployment>("mcp-map-server").Spec.Strategy;
        Assert.Equal("RollingUpdate", strategy.Type);
        Assert.Equal("0", strategy.RollingUpdate.MaxUnavailable.Value);

        var budget = rendered.Named<V1PodDisruptionBudget>("mcp-map-server");
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.Equal("mcp-map-server", budget.Spec.Selector.MatchLabels["app"]);
    }

    [Fact]
    public async Task Overlay_probes_readiness_and_liveness_on_alive_so_a_redis_outage_takes_no_pod_out_of_service()
    {
        var container = Container((await RenderAsync()).Named<V1Deployment>("mcp-map-server"));

        Assert.Equal(("/alive", "8081"), (container.ReadinessProbe.HttpGet.Path, container.ReadinessProbe.HttpGet.Port.Value));
        Assert.Equal(("/alive", "8081"), (container.LivenessProbe.HttpGet.Path, container.LivenessProbe.HttpGet.Port.Value));
        Assert.True(container.ReadinessProbe.TimeoutSeconds >= 1); // /alive answers at once; /health within a second
    }

    [Fact]
    public async Task Overlay_stops_the_api_inside_its_grace_period_after_it_has_left_the_service()
    {
        var deployment = (await RenderAsync()).Named<V1Deployment>("mcp-map-server");
        var preStop = Container(deployment).Lifecycle.PreStop.Sleep.Seconds;

        Assert.Equal(5, preStop);
        Assert.True(preStop + 20 < deployment.Spec.Template.Spec.TerminationGracePeriodSeconds, "preStop plus the api's 20 s shutdown timeout must fit the grace period");
    }

    [Fact]
    public async Task Overlay_scales_the_api_from_2_to_10_on_cpu_70_and_memory_80_percent()
    {
        var hpa = (await RenderAsync()).Named<V2HorizontalPodAutoscaler>("mcp-map-server");

        Assert.Equal(("apps/v1", "Deployment", "mcp-map-server"),
            (hpa.Spec.ScaleTargetRef.ApiVersion, hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        Assert.Equal((2, 10), (hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas));
        var targets = hpa.Spec.Metrics.ToDictionary(m => m.Resource.Name, m => (m.Resource.Target.Type, m.Resource.Target.AverageUtilization));
        Assert.Equal(("Utilization", (int?)70), targets["cpu"]);
        Assert.Equal(("Utilization", (int?)80), targets["memory"]);
    }

    [Fact]
    public async Task Overlay_lets_prometheus_scrape_metrics_on_8081()
    {
        var annotations = (await RenderAsync()).Named<V1Deployment>("mcp-map-server").Spec.Template.Metadata.Annotations;

        Assert.Equal("true", annotations["prometheus.io/scrape"]);
        Assert.Equal("8081", annotations["prometheus.io/port"]);
        Assert.Equal("/metrics", annotations["prometheus.io/path"]);
    }

    [Fact]
    public async Task Overlay_bounds_every_container_with_requests_and_limits()
    {
        var rendered = await RenderAsync();

        var containers = rendered.PodTemplates().SelectMany(p => p.Template.Spec.Containers).ToList();
        Assert.Equal(5, containers.Count);
        Assert.All(containers, c =>
        {
            Assert.True(c.Resources?.Requests?.ContainsKey("cpu") == true && c.Resources.Requests.ContainsKey("memory"), $"{c.Name} requests");
            Assert.True(c.Resources?.Limits?.ContainsKey("cpu") == true && c.Resources.Limits.ContainsKey("memory"), $"{c.Name} limits");
        });
        var api = Container(rendered.Named<V1Deployment>("mcp-map-server")).Resources;
        Assert.Equal(("500m", "512Mi", "2", "2Gi"),
            (api.Requests["cpu"].ToString(), api.Requests["memory"].ToString(), api.Limits["cpu"].ToString(), api.Limits["memory"].ToString()));
    }

    [Fact]
    public async Task Overlay_keeps_redis_data_on_a_persistent_volume_with_append_only_persistence()
    {
        var rendered = await RenderAsync();

        var redis = rendered.Named<V1Deployment>("redis");
        Assert.Equal("Recreate", redis.Spec.Strategy.Type); // a ReadWriteOnce volume cannot be shared during a rollout
        Assert.Equal(1, redis.Spec.Replicas);
        var volume = Assert.Single(redis.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim is not null);
        Assert.Equal("redis-pvc", volume.PersistentVolumeClaim.ClaimName);
        var container = Container(redis);
        Assert.Equal("/data", Assert.Single(container.VolumeMounts, m => m.Name == volume.Name).MountPath);
        var script = string.Join(' ', container.Command.Concat(container.Args));
        Assert.Contains("--appendonly yes", script, StringComparison.Ordinal);
        Assert.Contains("--dir /data", script, StringComparison.Ordinal);

        var claim = rendered.Named<V1PersistentVolumeClaim>("redis-pvc");
        Assert.Equal(["ReadWriteOnce"], claim.Spec.AccessModes);
        Assert.Equal("10Gi", claim.Spec.Resources.Requests["storage"].ToString());
    }

    [Fact]
    public async Task Overlay_takes_the_redis_password_from_the_secret_created_at_deploy_time()
    {
        var rendered = await RenderAsync();

        var redis = Container(rendered.Named<V1Deployment>("redis"));
        foreach (var name in new[] { "REDIS_PASSWORD", "REDISCLI_AUTH" })
        {
            var secret = Env(redis, name).ValueFrom.SecretKeyRef;
            Assert.Equal(("redis-auth", "password"), (secret.Name, secret.Key));
        }

        Assert.Contains("--requirepass \"$REDIS_PASSWORD\"", string.Join(' ', redis.Args), StringComparison.Ordinal);

        var api = Container(rendered.Named<V1Deployment>("mcp-map-server"));
        var password = Env(api, "REDIS_PASSWORD").ValueFrom.SecretKeyRef;
        Assert.Equal(("redis-auth", "password"), (password.Name, password.Key));
        var connection = Env(api, "ConnectionStrings__redis");
        var redisService = rendered.Named<V1Service>("redis");
        Assert.Equal($"{redisService.Metadata.Name}:{redisService.Spec.Ports.Single().Port},password=$(REDIS_PASSWORD)", connection.Value);
        // Kubernetes expands $(VAR) only from variables defined earlier in the list.
        Assert.True(api.Env.IndexOf(Env(api, "REDIS_PASSWORD")) < api.Env.IndexOf(connection));
    }

    [Fact]
    public async Task Overlay_lets_only_the_api_reach_redis()
    {
        var policy = (await RenderAsync()).Named<V1NetworkPolicy>("redis-allow-api-only");

        Assert.Equal("redis", policy.Spec.PodSelector.MatchLabels["app"]);
        Assert.Equal(["Ingress"], policy.Spec.PolicyTypes);
        var rule = Assert.Single(policy.Spec.Ingress);
        var peer = Assert.Single(rule.FromProperty);
        Assert.Null(peer.NamespaceSelector);
        Assert.Null(peer.IpBlock);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "mcp-map-server" }, peer.PodSelector.MatchLabels);
        Assert.Equal(("TCP", "6379"), (rule.Ports.Single().Protocol, rule.Ports.Single().Port.Value));
    }

    [Fact]
    public async Task Overlay_turns_api_key_auth_on_with_key_hashes_from_the_secret_created_at_deploy_time()
    {
        var rendered = await RenderAsync();
        var api = Container(rendered.Named<V1Deployment>("mcp-map-server"));

        Assert.Equal("ApiKey", Env(api, "MapServer__Auth__Mode").Value);
        var secret = Assert.Single(api.EnvFrom, e => e.SecretRef is not null).SecretRef;
        Assert.Equal("mcp-map-server-api-keys", secret.Name);
        Assert.True(secret.Optional is null or false, "a missing key Secret must stop the pod, not start it without keys");
        // The patch replaces envFrom as a whole: the base's settings must still be there.
        Assert.Equal("mcp-map-server-env", Assert.Single(api.EnvFrom, e => e.ConfigMapRef is not null).ConfigMapRef.Name);
        rendered.Named<V1ConfigMap>("mcp-map-server-env");

        // Keys live only in that Secret, never in the YAML.
        Assert.DoesNotContain("MapServer__Auth__ApiKeys__", rendered.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlay_trusts_forwarded_headers_only_from_private_networks()
    {
        var api = Container((await RenderAsync()).Named<V1Deployment>("mcp-map-server"));

        var networks = Env(api, "MapServer__Proxy__KnownNetworks").Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(networks);
        IPNetwork[] privateRanges = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("fc00::/7")];
        foreach (var network in networks.Select(IPNetwork.Parse))
        {
            Assert.True(privateRanges.Any(r => r.BaseAddress.AddressFamily == network.BaseAddress.AddressFamily
                && r.PrefixLength <= network.PrefixLength && r.Contains(network.BaseAddress)), $"{network} is not a private network");
        }

        // ASP.NET Core's switch would trust every peer on its own; the api does it from the list above.
        Assert.Equal("false", Env(api, "ASPNETCORE_FORWARDEDHEADERS_ENABLED").Value);
    }

    [Fact]
    public async Task Overlay_caps_redis_memory_below_its_limit_and_never_evicts_map_state()
    {
        var redis = Container((await RenderAsync()).Named<V1Deployment>("redis"));
        var arguments = string.Join(' ', redis.Args).Split(' ', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("noeviction", arguments[Array.IndexOf(arguments, "--maxmemory-policy") + 1]);
        var maxmemory = arguments[Array.IndexOf(arguments, "--maxmemory") + 1].ToLowerInvariant();
        Assert.Matches("^[0-9]+(mb|gb)$", maxmemory);
        var bytes = long.Parse(maxmemory[..^2], System.Globalization.CultureInfo.InvariantCulture) * (maxmemory.EndsWith("gb", StringComparison.Ordinal) ? 1L << 30 : 1L << 20);
        var limit = (long)redis.Resources.Limits["memory"].ToDecimal();
        // Headroom for fragmentation, client buffers and the copy-on-write of AOF rewrites.
        Assert.InRange(bytes, limit / 2, limit * 8 / 10);
    }

    [Fact]
    public async Task Overlay_ingress_streams_sse_unbuffered_with_hour_long_timeouts()
    {
        var ingress = (await RenderAsync()).Named<V1Ingress>("mcp-map-server");

        Assert.Equal("nginx", ingress.Spec.IngressClassName);
        var annotations = ingress.Metadata.Annotations;
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
        Assert.Equal("3600", annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]);
        Assert.Equal("3600", annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]);
    }

    [Fact]
    public async Task Overlay_lets_the_largest_file_import_through_the_ingress_and_into_the_apis_tmp()
    {
        var rendered = await RenderAsync();
        var annotations = rendered.Named<V1Ingress>("mcp-map-server").Metadata.Annotations;
        var shipped = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "MapServer.Api", "appsettings.json")))
            .RootElement.GetProperty("MapServer").GetProperty("Imports");
        var maxFileBytes = shipped.GetProperty("MaxFileBytes").GetInt64();

        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-request-buffering"]); // streamed to the api, not spooled by nginx
        var bodySize = annotations["nginx.ingress.kubernetes.io/proxy-body-size"];
        Assert.Matches("^[0-9]+m$", bodySize);
        Assert.InRange(long.Parse(bodySize[..^1], System.Globalization.CultureInfo.InvariantCulture) * 1024 * 1024, maxFileBytes, maxFileBytes + 8 * 1024 * 1024);

        var tmp = Assert.Single(rendered.Named<V1Deployment>("mcp-map-server").Spec.Template.Spec.Volumes, v => v.Name == "tmp").EmptyDir.SizeLimit.ToDecimal();
        Assert.True(tmp >= maxFileBytes * 2, $"the api's /tmp ({tmp:N0} bytes) must hold two uploads converting at once ({maxFileBytes:N0} bytes each)");
    }

    [Fact]
    public async Task Overlay_ingress_routes_api_paths_to_the_api_and_the_rest_to_the_viewer()
    {
        var rendered = await RenderAsync();
        var ingress = rendered.Named<V1Ingress>("mcp-map-server");

        var routes = Assert.Single(ingress.Spec.Rules).Http.Paths
            .ToDictionary(p => p.Path, p => (p.PathType, p.Backend.Service.Name, p.Backend.Service.Port.Number));
        foreach (var path in new[] { "/mcp", "/events", "/health", "/sessions", "/.well-known/oauth-protected-resource" })
        {
            Assert.Equal(("Prefix", "mcp-map-server", (int?)80), routes[path]);
        }

        var viewerPort = rendered.Named<V1Service>("map-viewer").Spec.Ports.Single().Port;
        Assert.Equal(("Prefix", "map-viewer", (int?)viewerPort), routes["/"]);
        Assert.Equal(6, routes.Count);
    }

    [Fact]
    public async Task Overlay_serves_tls_from_a_cert_manager_certificate_for_the_configured_host()
    {
        var rendered = await RenderAsync();

        var host = rendered.GeneratedConfigMap("public-endpoint").Data["host"];
        Assert.Matches("^[a-z0-9.-]+$", host);
        var ingress = rendered.Named<V1Ingress>("mcp-map-server");
        Assert.Equal(host, ingress.Spec.Rules.Single().Host);
        var tls = Assert.Single(ingress.Spec.Tls);
        Assert.Equal([host], tls.Hosts);

        var certificate = rendered.Named<Certificate>("mcp-map-tls");
        Assert.Equal(tls.SecretName, certificate.Spec.SecretName);
        Assert.Equal([host], certificate.Spec.DnsNames);
        Assert.Equal(("letsencrypt-prod", "ClusterIssuer", "cert-manager.io"),
            (certificate.Spec.IssuerRef.Name, certificate.Spec.IssuerRef.Kind, certificate.Spec.IssuerRef.Group));

        // Viewer links handed to agents use the public URL, not the in-cluster one from the base.
        var api = Container(rendered.Named<V1Deployment>("mcp-map-server"));
        var publicHost = Env(api, "PUBLIC_HOST").ValueFrom.ConfigMapKeyRef;
        Assert.Equal((rendered.GeneratedConfigMap("public-endpoint").Metadata.Name, "host"), (publicHost.Name, publicHost.Key));
        Assert.Equal("https://$(PUBLIC_HOST)", Env(api, "MapServer__PublicBaseUrl").Value);
        Assert.True(api.Env.IndexOf(Env(api, "PUBLIC_HOST")) < api.Env.IndexOf(Env(api, "MapServer__PublicBaseUrl")));
    }

    [Fact]
    public async Task Overlay_backs_up_redis_nightly_from_its_volume()
    {
        var rendered = await RenderAsync();

        var cron = rendered.Named<V1CronJob>("redis-backup");
        Assert.Equal("Forbid", cron.Spec.ConcurrencyPolicy);
        Assert.Equal(5, cron.Spec.Schedule.Split(' ').Length);
        var pod = cron.Spec.JobTemplate.Spec.Template.Spec;
        var claims = pod.Volumes.ToDictionary(v => v.Name, v => v.PersistentVolumeClaim);
        Assert.Equal("redis-pvc", claims["redis-data"].ClaimName);
        Assert.True(claims["redis-data"].ReadOnlyProperty);
        rendered.Named<V1PersistentVolumeClaim>(claims["backup"].ClaimName);
        // The redis volume is ReadWriteOnce: the job must land on Redis's node.
        var affinity = Assert.Single(pod.Affinity.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        Assert.Equal(("kubernetes.io/hostname", "redis"), (affinity.TopologyKey, affinity.LabelSelector.MatchLabels["app"]));
        // ...and needs no network path to Redis, which the NetworkPolicy keeps for the api alone.
        Assert.NotEqual("mcp-map-server", pod.Containers.Single().Name);
        Assert.DoesNotContain("redis-cli", string.Join(' ', pod.Containers.Single().Command), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overlay_ships_a_grafana_dashboard_for_the_api_metrics()
    {
        var rendered = await RenderAsync();

        var map = rendered.Named<V1ConfigMap>("mcp-map-server-dashboard");
        Assert.Equal("1", map.Metadata.Labels["grafana_dashboard"]);
        using var dashboard = JsonDocument.Parse(Assert.Single(map.Data).Value);
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
        Assert.NotEmpty(expressions);
        Assert.All(expressions, e => Assert.Contains("app=\"mcp-map-server\"", e, StringComparison.Ordinal));
        Assert.Contains(expressions, e => e.Contains("http_server_request_duration_seconds", StringComparison.Ordinal));
        foreach (var metric in (string[])["mapserver_tool_duration_seconds", "mapserver_storage_commit_duration_seconds", "mapserver_storage_failures_total",
            "mapserver_storage_reconnects_total", "mapserver_viewers_connected", "mapserver_events_delivered_total", "mapserver_viewers_dropped_total",
            "mapserver_sessions_created_total", "mapserver_rate_limit_rejections_total"])
        {
            Assert.Contains(expressions, e => e.Contains(metric, StringComparison.Ordinal)); // names as /metrics has them (MetricsTests)
        }
    }
}
