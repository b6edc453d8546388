using System.Text.RegularExpressions;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>
/// Every pod of both production overlays meets the "restricted" Pod Security Standard (and more:
/// a read-only root filesystem, numeric users, no service account token), the namespace enforces
/// that standard, and every image is pinned to a version.
/// </summary>
[Trait("Tier", "Deployment")]
public sealed partial class PodSecurityTests
{
    public static TheoryData<string> Overlays => RenderedManifestTests.Overlays;

    /// <summary>The volume types the restricted profile admits.</summary>
    private static readonly string[] RestrictedVolumeTypes =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static async Task<IReadOnlyList<(string Workload, V1PodTemplateSpec Template)>> PodsAsync(string folder)
    {
        var pods = (await RenderedManifestTests.RenderAsync(folder)).PodTemplates();
        Assert.Equal(["map-renderer", "map-viewer", "mcp-map-server", "redis", "redis-backup"], pods.Select(p => p.Workload).Order());
        return pods;
    }

    private static IEnumerable<V1Container> Containers(V1PodSpec pod) => pod.Containers.Concat(pod.InitContainers ?? []);

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_pod_runs_as_a_numeric_non_root_user_with_runtime_default_seccomp_and_no_service_account_token(string folder)
    {
        foreach (var (workload, template) in await PodsAsync(folder))
        {
            var pod = template.Spec;
            var context = pod.SecurityContext;
            Assert.True(context?.RunAsNonRoot == true, $"{workload}: runAsNonRoot");
            Assert.True(context.RunAsUser > 0, $"{workload}: runAsUser {context.RunAsUser}");
            Assert.True(context.RunAsGroup > 0, $"{workload}: runAsGroup {context.RunAsGroup}");
            Assert.True(context.SeccompProfile?.Type == "RuntimeDefault", $"{workload}: seccompProfile");
            Assert.True(pod.AutomountServiceAccountToken == false, $"{workload}: automountServiceAccountToken");

            foreach (var container in Containers(pod))
            {
                // A container-level setting would override the pod's: none may loosen it.
                Assert.True(container.SecurityContext?.RunAsNonRoot is null or true, $"{workload}/{container.Name}: runAsNonRoot");
                Assert.True(container.SecurityContext?.RunAsUser is null or > 0, $"{workload}/{container.Name}: runAsUser");
                Assert.True(container.SecurityContext?.SeccompProfile is null or { Type: "RuntimeDefault" }, $"{workload}/{container.Name}: seccomp");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_container_drops_all_capabilities_cannot_escalate_and_writes_only_to_its_volumes(string folder)
    {
        foreach (var (workload, template) in await PodsAsync(folder))
        {
            var emptyDirs = (template.Spec.Volumes ?? []).Where(v => v.EmptyDir is not null).Select(v => v.Name).ToHashSet();
            foreach (var container in Containers(template.Spec))
            {
                var name = $"{workload}/{container.Name}";
                var context = container.SecurityContext;
                Assert.True(context?.AllowPrivilegeEscalation == false, $"{name}: allowPrivilegeEscalation");
                Assert.True(context.Privileged is null or false, $"{name}: privileged");
                Assert.True(context.Capabilities?.Drop?.Contains("ALL") == true, $"{name}: capabilities.drop ALL");
                Assert.True(context.Capabilities.Add is null || context.Capabilities.Add.All(c => c == "NET_BIND_SERVICE"), $"{name}: capabilities.add");
                Assert.True(context.ReadOnlyRootFilesystem == true, $"{name}: readOnlyRootFilesystem");
                var tmp = Assert.Single(container.VolumeMounts ?? [], m => m.MountPath == "/tmp");
                Assert.True(emptyDirs.Contains(tmp.Name), $"{name}: /tmp is not an emptyDir");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Pods_run_as_their_images_users_and_own_the_redis_volumes(string folder)
    {
        var pods = (await PodsAsync(folder)).ToDictionary(p => p.Workload, p => p.Template.Spec.SecurityContext);

        // The .NET images' `app` user, the Playwright image's `pwuser`, the official redis image's `redis` user.
        Assert.Equal((1654L, 1654L), (pods["mcp-map-server"].RunAsUser, pods["mcp-map-server"].RunAsGroup));
        Assert.Equal((1654L, 1654L), (pods["map-viewer"].RunAsUser, pods["map-viewer"].RunAsGroup));
        Assert.Equal((1000L, 1000L), (pods["map-renderer"].RunAsUser, pods["map-renderer"].RunAsGroup)); // the Playwright image's pwuser
        foreach (var workload in new[] { "redis", "redis-backup" })
        {
            Assert.Equal((999L, 999L, 999L), (pods[workload].RunAsUser, pods[workload].RunAsGroup, pods[workload].FsGroup));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Pods_use_no_host_namespaces_host_ports_or_disallowed_volume_types(string folder)
    {
        foreach (var (workload, template) in await PodsAsync(folder))
        {
            var pod = template.Spec;
            Assert.True(pod.HostNetwork is null or false && pod.HostPID is null or false && pod.HostIPC is null or false, $"{workload}: host namespaces");
            Assert.All(Containers(pod).SelectMany(c => c.Ports ?? []), p => Assert.True(p.HostPort is null or 0, $"{workload}: hostPort {p.HostPort}"));
            foreach (var volume in pod.Volumes ?? [])
            {
                var types = typeof(V1Volume).GetProperties()
                    .Where(p => p.Name != nameof(V1Volume.Name) && p.GetValue(volume) is not null)
                    .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
                    .ToList();
                var type = Assert.Single(types);
                Assert.True(RestrictedVolumeTypes.Contains(type), $"{workload}: volume {volume.Name} is {type}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Namespace_enforces_the_restricted_pod_security_standard(string folder)
    {
        var labels = Assert.Single((await RenderedManifestTests.RenderAsync(folder)).All<V1Namespace>()).Metadata.Labels;

        Assert.Equal("restricted", labels?["pod-security.kubernetes.io/enforce"]);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_image_is_pinned_to_a_version_tag(string folder)
    {
        var images = (await PodsAsync(folder))
            .SelectMany(p => Containers(p.Template.Spec).Select(c => (Container: $"{p.Workload}/{c.Name}", c.Image)))
            .ToList();

        foreach (var (container, image) in images)
        {
            var match = ImageReference().Match(image);
            Assert.True(match.Success, $"{container}: {image} has no tag");
            Assert.Matches(@"^v?\d+\.\d+\.\d+", match.Groups["tag"].Value);
        }

        // Redis (and its backup job, which reads Redis's files) on one exact patch release.
        var redis = images.Where(i => i.Image.StartsWith("docker.io/library/redis:", StringComparison.Ordinal)).Select(i => i.Image).Distinct();
        Assert.Matches(@"^docker\.io/library/redis:\d+\.\d+\.\d+$", Assert.Single(redis));
    }

    /// <summary>[registry[:port]/]path:tag: the tag is what follows the last colon after the last slash.</summary>
    [GeneratedRegex(@"^(?<name>(?:[^/]+/)*[^/:]+):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$")]
    private static partial Regex ImageReference();
}
