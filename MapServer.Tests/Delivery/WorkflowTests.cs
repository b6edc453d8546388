using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using k8s.Models;
using MapServer.Api.Security;
using MapServer.Tests.Infrastructure;
using MapServer.Tests.Kubernetes;
using YamlDotNet.Serialization;

namespace MapServer.Tests.Delivery;

/// <summary>
/// The CI/CD an operator forks (.github/): the workflows are valid GitHub Actions workflows and keep their promises
/// (the tests run through .ci/run; a tag releases every deployable project with its SBOM after the NuGet audit; the
/// deploy pins digests, waits, smoke-tests and rolls back; every action is pinned by commit), and the scripts the
/// deploy runs work here: the pinned overlay renders, the smoke test passes against a running api and fails without
/// its key.
/// </summary>
[Trait("Tier", "Deployment")]
public sealed partial class WorkflowTests
{
    private static readonly string[] DeployableImages = ["mcp-map-server", "map-viewer", "map-renderer"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<string> WorkflowFiles => [.. Directory.GetFiles(Path.Combine(Repository.Root, ".github", "workflows"), "*.yml").Select(file => Path.GetFileName(file)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(WorkflowFiles))]
    public async Task Workflow_validates_against_the_github_actions_schema(string fileName)
    {
        // @action-validator/cli (npm; WebAssembly, no native binary) checks a workflow against GitHub's schema.
        var result = await Tool.RunAsync("npx",
            ["-y", "-p", "@action-validator/core@0.6.0", "-p", "@action-validator/cli@0.6.0", "action-validator", Path.Combine(".github", "workflows", fileName)],
            Repository.Root, TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, result.Describe($"action-validator {fileName}"));
    }

    [Fact]
    public void Every_action_is_pinned_by_a_commit_sha_with_its_version_beside_it()
    {
        var uses = Directory.GetFiles(Path.Combine(Repository.Root, ".github", "workflows"), "*.yml")
            .SelectMany(file => File.ReadLines(file).Where(line => line.TrimStart().TrimStart('-').TrimStart().StartsWith("uses:", StringComparison.Ordinal))
                .Select(line => (File: Path.GetFileName(file), Line: line.Trim())))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.All(uses, use => Assert.True(PinnedAction().IsMatch(use.Line), $"{use.File}: '{use.Line}' is not owner/repo@<40-hex commit> # vX.Y.Z"));
    }

    [Fact]
    public void Ci_runs_the_readme_tests_through_ci_run_on_every_pull_request_and_push_and_checks_manifest_drift()
    {
        var ci = Workflow.Load("ci.yml");

        Assert.Superset(new HashSet<string> { "pull_request", "push" }, ci.Triggers.ToHashSet());
        Assert.Equal("debian:12", Workflow.Value(ci.Job("test"), "container")); // .ci/run expects Debian 12 as root
        Assert.True(ci.StepRunning("test", "bash .ci/run") >= 0, "the test job must run .ci/run");
        var drift = ci.StepRunning("manifest-drift", "AspirateOutputTests");
        Assert.True(drift >= 0, "the manifest drift job must regenerate aspirate-output/");
        Assert.Contains("git diff --exit-code -- aspirate-output/", (string)ci.Steps("manifest-drift")[drift]["run"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_builds_every_deployable_project_with_its_digest_and_sbom_after_the_nuget_audit()
    {
        var release = Workflow.Load("release.yml");
        Assert.Equal(["tags"], release.Trigger("push").Keys.Select(k => (string)k));

        // Every project the AppHost deploys (each has its folder in aspirate-output/, Redis aside) is built and released.
        var deployed = (await RenderedManifestTests.RenderAsync("aspirate-output")).All<V1Deployment>()
            .Where(d => !RenderedManifestTests.Container(d).Image.Contains('/', StringComparison.Ordinal))
            .Select(d => d.Metadata.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(DeployableImages.Order(StringComparer.Ordinal), deployed);
        var matrix = ((List<object>)((Dictionary<object, object>)((Dictionary<object, object>)release.Job("images")["strategy"])["matrix"])["include"])
            .Cast<Dictionary<object, object>>().ToList();
        Assert.Equal(deployed, matrix.Select(m => (string)m["image"]).Order(StringComparer.Ordinal));
        Assert.All(matrix, m => Assert.True(File.Exists(Path.Combine(Repository.Root, (string)m["project"])), $"{m["project"]} does not exist"));

        Assert.Equal("audit", Workflow.Value(release.Job("images"), "needs"));
        Assert.True(release.StepRunning("audit", "dotnet restore") >= 0, "the audit job restores (NuGet audit)");
        var props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"));
        Assert.Equal("high", props.Descendants("NuGetAuditLevel").Single().Value);
        Assert.Equal("all", props.Descendants("NuGetAuditMode").Single().Value);
        Assert.Contains("NU1903", props.Descendants("WarningsAsErrors").Single().Value, StringComparison.Ordinal);

        var publish = (string)release.Steps("images")[release.StepRunning("images", "-t:PublishContainer")]["run"];
        Assert.Contains("GeneratedContainerDigest", publish, StringComparison.Ordinal);
        Assert.Contains("ContainerImageTags=", publish, StringComparison.Ordinal);
        Assert.True(release.StepRunning("images", "dotnet-CycloneDX") >= 0, "each image gets a CycloneDX SBOM");
        Assert.True(release.StepRunning("release", "out/*.cdx.json") >= 0, "the SBOMs are attached to the release");
        Assert.True(release.StepRunning("release", "out/*.digest") >= 0, "the digests are attached to the release");
    }

    [Fact]
    public async Task Sbom_step_writes_a_cyclonedx_json_of_the_image_with_its_packages()
    {
        // The release's SBOM step as it runs there, on the api: the tool from the NuGet feed, then its command line.
        var release = Workflow.Load("release.yml");
        var step = (string)release.Steps("images")[release.StepRunning("images", "dotnet-CycloneDX")]["run"];
        var version = ToolVersion().Match(step).Groups["version"].Value;
        var tools = Directory.CreateTempSubdirectory("cyclonedx-").FullName;
        try
        {
            var installed = await Tool.RunAsync("dotnet", ["tool", "install", "CycloneDX", "--version", version, "--tool-path", tools], tools, TimeSpan.FromMinutes(3));
            Assert.True(installed.ExitCode == 0, installed.Describe("dotnet tool install CycloneDX"));
            var sbom = await Tool.RunAsync(Path.Combine(tools, "dotnet-CycloneDX"),
                ["MapServer.Api/MapServer.Api.csproj", "-o", tools, "-fn", "mcp-map-server.cdx.json", "-F", "Json", "-rs", "-c", "Release", "-sn", "mcp-map-server", "-sv", "1.2.3", "-st", "Container"],
                Repository.Root, TimeSpan.FromMinutes(3));
            Assert.True(sbom.ExitCode == 0, sbom.Describe("dotnet-CycloneDX"));
            Assert.Contains("-F Json", step, StringComparison.Ordinal);

            using var bom = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(tools, "mcp-map-server.cdx.json"), Token));
            Assert.Equal("CycloneDX", bom.RootElement.GetProperty("bomFormat").GetString());
            var component = bom.RootElement.GetProperty("metadata").GetProperty("component");
            Assert.Equal(("mcp-map-server", "1.2.3", "container"), (component.GetProperty("name").GetString(), component.GetProperty("version").GetString(), component.GetProperty("type").GetString()));
            var packages = bom.RootElement.GetProperty("components").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToHashSet();
            Assert.Superset(new HashSet<string?> { "ModelContextProtocol.AspNetCore", "NetTopologySuite", "StackExchange.Redis" }, packages);
        }
        finally
        {
            Directory.Delete(tools, recursive: true);
        }
    }

    [Fact]
    public void Deploy_pins_digests_behind_the_production_environment_waits_smoke_tests_and_rolls_back()
    {
        var release = Workflow.Load("release.yml");
        var deploy = release.Job("deploy");

        Assert.Equal("production", Workflow.Value(deploy, "environment"));
        int[] order =
        [
            release.StepRunning("deploy", ".ci/pin-images"),
            release.StepRunning("deploy", "kubectl apply -k deploy/release"),
            release.StepRunning("deploy", "kubectl rollout status"),
            release.StepRunning("deploy", ".ci/smoke-test"),
            release.StepRunning("deploy", "kubectl rollout undo"),
        ];
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        var rollback = release.Steps("deploy")[order[^1]];
        Assert.Contains("failure()", Workflow.Value(rollback, "if"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pinned_overlay_runs_every_image_by_the_digest_just_pushed()
    {
        var digests = Directory.CreateTempSubdirectory("digests-").FullName;
        var overlay = Directory.CreateTempSubdirectory("release-").FullName;
        try
        {
            foreach (var (image, i) in DeployableImages.Select((image, i) => (image, i)))
            {
                await File.WriteAllTextAsync(Path.Combine(digests, $"{image}.digest"), $"registry.example.com/maps/{image}@sha256:{new string((char)('a' + i), 64)}\n", Token);
            }

            var pinned = await Tool.RunAsync("bash", [".ci/pin-images", digests, overlay], Repository.Root, TimeSpan.FromSeconds(30));
            Assert.True(pinned.ExitCode == 0, pinned.Describe("pin-images"));

            var rendered = await Kustomize.RenderAsync(overlay);
            foreach (var (image, i) in DeployableImages.Select((image, i) => (image, i)))
            {
                Assert.Equal($"registry.example.com/maps/{image}@sha256:{new string((char)('a' + i), 64)}", RenderedManifestTests.Container(rendered.Named<V1Deployment>(image)).Image);
            }

            File.Delete(Path.Combine(digests, "map-viewer.digest"));
            var missing = await Tool.RunAsync("bash", [".ci/pin-images", digests, overlay], Repository.Root, TimeSpan.FromSeconds(30));
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("no digest for map-viewer", missing.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(digests, recursive: true);
            Directory.Delete(overlay, recursive: true);
        }
    }

    [Fact]
    public async Task Smoke_test_passes_against_a_running_api_and_fails_without_its_key()
    {
        var deployKey = ApiKeys.Mint();
        await using var api = new ApiInstance(redisConnectionString: null, new Dictionary<string, string?>
        {
            ["MapServer:Auth:Mode"] = "ApiKey",
            ["MapServer:Auth:ApiKeys:deploy"] = deployKey.Sha256Hex,
        });
        var url = api.BaseAddress.ToString();

        var passed = await Tool.RunAsync("bash", [".ci/smoke-test", url], Repository.Root, TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["DEPLOY_API_KEY"] = deployKey.Key });
        Assert.True(passed.ExitCode == 0, passed.Describe("smoke-test"));

        var refused = await Tool.RunAsync("bash", [".ci/smoke-test", url], Repository.Root, TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["DEPLOY_API_KEY"] = "not-a-key" });
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("tools/list with the deploy key", refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependabot_watches_nuget_the_pinned_npm_packages_and_the_actions()
    {
        var config = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(File.ReadAllText(Path.Combine(Repository.Root, ".github", "dependabot.yml")));
        var updates = ((List<object>)config["updates"]).Cast<Dictionary<object, object>>()
            .ToDictionary(u => (string)u["package-ecosystem"], u => (string)u["directory"]);

        Assert.Equal("/", updates["nuget"]);
        Assert.Equal("/", updates["github-actions"]);
        Assert.True(File.Exists(Path.Combine(Repository.Root, updates["npm"].TrimStart('/'), "package.json")));
    }

    [Fact]
    public void Npm_versions_dependabot_sees_are_the_versions_the_build_downloads()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "npm", "package.json")));
        var listed = package.RootElement.GetProperty("dependencies").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

        var downloaded = new Dictionary<string, string>();
        foreach (var project in new[] { "MapServer.Web/MapServer.Web.csproj", "MapServer.Api/MapServer.Api.csproj" })
        {
            var csproj = XDocument.Load(Path.Combine(Repository.Root, project));
            var properties = csproj.Descendants().Where(e => e.Parent?.Name.LocalName == "PropertyGroup").GroupBy(e => e.Name.LocalName).ToDictionary(g => g.Key, g => g.Last().Value);
            foreach (var url in csproj.Descendants("DownloadFile").Select(d => (string?)d.Attribute("SourceUrl")).OfType<string>())
            {
                var match = NpmTarball().Match(url);
                Assert.True(match.Success, $"{project}: {url} is not an npm registry tarball");
                downloaded[match.Groups["name"].Value] = properties[match.Groups["property"].Value];
            }
        }

        Assert.Equal(downloaded.OrderBy(p => p.Key, StringComparer.Ordinal), listed.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^(- )?uses: [A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$")]
    private static partial Regex PinnedAction();

    [GeneratedRegex(@"dotnet tool install --global CycloneDX --version (?<version>[0-9.]+)")]
    private static partial Regex ToolVersion();

    [GeneratedRegex(@"^https://registry\.npmjs\.org/(?<name>(@[^/]+/)?[^/]+)/-/[^/]+-\$\((?<property>\w+)\)\.tgz$")]
    private static partial Regex NpmTarball();
}
