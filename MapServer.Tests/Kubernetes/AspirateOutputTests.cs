using System.Text;

namespace MapServer.Tests.Kubernetes;

/// <summary>
/// aspirate-output/ is exactly what Aspirate 9.1 writes for the AppHost as it is now. Aspirate is not
/// on the package feed here, so <see cref="AspirateEmulator"/> stands in for it. To refresh the folder
/// after an AppHost change, run these tests with MAPSERVER_UPDATE_ASPIRATE_OUTPUT=1 (or run Aspirate
/// itself, see docs/kubernetes.md) and review the diff.
/// </summary>
[Trait("Tier", "Deployment")]
public sealed class AspirateOutputTests
{
    private const string Namespace = "mcp-map-server";
    private const string ImagePullPolicy = "IfNotPresent";
    private const string UpdateSwitch = "MAPSERVER_UPDATE_ASPIRATE_OUTPUT";

    /// <summary>What Aspirate writes for the published manifest, worked out once per run.</summary>
    private static readonly Lazy<Task<SortedDictionary<string, string>>> Generated = new(async () =>
    {
        var published = await PublishedManifest.GetAsync();
        return await AspirateEmulator.GenerateAsync(published.ManifestPath, Namespace, ImagePullPolicy,
            (_, projectPath) => PublishedManifest.ReadContainerPropertiesAsync(projectPath));
    });

    private static bool Updating => Environment.GetEnvironmentVariable(UpdateSwitch) == "1";

    [Fact]
    public async Task Published_manifest_holds_only_resource_types_aspirate_understands()
    {
        var published = await PublishedManifest.GetAsync();

        Assert.Empty(AspirateEmulator.UnsupportedResources(published.Resources));
        foreach (var type in new[] { "executable.v0", "annotated.string", "project.v1" })
        {
            Assert.DoesNotContain($"\"{type}\"", published.Text, StringComparison.Ordinal);
        }

        Assert.Equal("container.v0", published.Resources["redis"]?["type"]?.GetValue<string>());
        Assert.Equal("project.v0", published.Resources["mcp-map-server"]?["type"]?.GetValue<string>());
        Assert.Equal("project.v0", published.Resources["map-viewer"]?["type"]?.GetValue<string>());
        // Aspirate aborts when the manifest run writes to stderr.
        Assert.True(string.IsNullOrWhiteSpace(published.Run.StandardError), published.Run.StandardError);
    }

    [Fact]
    public async Task Published_manifest_puts_the_api_on_8081_behind_service_port_80()
    {
        var published = await PublishedManifest.GetAsync();
        var api = published.Resources["mcp-map-server"]!;
        var bindings = api["bindings"]!.AsObject();

        Assert.Equal(["http"], bindings.Select(b => b.Key));
        Assert.Equal(80, bindings["http"]!["port"]!.GetValue<int>());
        Assert.Equal(8081, bindings["http"]!["targetPort"]!.GetValue<int>());
        Assert.Equal("{mcp-map-server.bindings.http.targetPort}", api["env"]!["HTTP_PORTS"]!.GetValue<string>());
        Assert.Equal("http://+:{mcp-map-server.bindings.http.targetPort}", api["env"]!["Kestrel__Endpoints__http__Url"]!.GetValue<string>());
        // No generated password parameter: its value would land in a ConfigMap.
        Assert.DoesNotContain(published.Resources, r => r.Value?["type"]?.GetValue<string>() == "parameter.v0");
    }

    [Fact]
    public async Task Committed_manifest_is_the_one_the_apphost_publishes()
    {
        var published = await PublishedManifest.GetAsync();
        var expected = PublishedManifest.AsIfWrittenTo(published, Repository.AspirateOutput);
        var committedPath = Path.Combine(Repository.AspirateOutput, "manifest.json");

        if (Updating)
        {
            await File.WriteAllTextAsync(committedPath, expected, TestContext.Current.CancellationToken);
        }

        Assert.True(File.Exists(committedPath), $"{committedPath} is missing; run with {UpdateSwitch}=1.");
        Assert.Equal(expected, await File.ReadAllTextAsync(committedPath, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Aspirate_output_is_what_aspirate_generates_for_the_apphost()
    {
        var expected = await Generated.Value;

        if (Updating)
        {
            foreach (var (path, content) in expected)
            {
                var full = Path.Combine(Repository.AspirateOutput, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllTextAsync(full, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), TestContext.Current.CancellationToken);
            }
        }

        var committed = Directory.EnumerateFiles(Repository.AspirateOutput, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.AspirateOutput, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => f != "manifest.json")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected.Keys.ToList(), committed);

        foreach (var (path, content) in expected)
        {
            var actual = await File.ReadAllTextAsync(Path.Combine(Repository.AspirateOutput, path), TestContext.Current.CancellationToken);
            Assert.True(content == actual,
                $"aspirate-output/{path} differs from what Aspirate writes; run with {UpdateSwitch}=1 and review.{Environment.NewLine}" +
                $"expected:{Environment.NewLine}{content}{Environment.NewLine}actual:{Environment.NewLine}{actual}");
        }
    }

    [Fact]
    public async Task Aspirate_output_resolves_every_expression_to_the_seed_guides_names()
    {
        var files = await Generated.Value;

        Assert.DoesNotContain(files, f => f.Value.Contains('{', StringComparison.Ordinal));
        var api = files["mcp-map-server/kustomization.yaml"];
        Assert.Contains("    - HTTP_PORTS=8081\n", api, StringComparison.Ordinal);
        Assert.Contains("    - Kestrel__Endpoints__http__Url=http://+:8081\n", api, StringComparison.Ordinal);
        Assert.Contains("    - ConnectionStrings__redis=redis:6379\n", api, StringComparison.Ordinal);
        var viewer = files["map-viewer/kustomization.yaml"];
        Assert.Contains("    - services__mcp-map-server__http__0=http://mcp-map-server:80\n", viewer, StringComparison.Ordinal);
        Assert.Contains("image: mcp-map-server:latest\n", files["mcp-map-server/deployment.yaml"], StringComparison.Ordinal);
        Assert.Contains("image: docker.io/library/redis:8.6\n", files["redis/deployment.yaml"], StringComparison.Ordinal);
    }
}
