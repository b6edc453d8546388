using System.Text.Json.Nodes;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>
/// `dotnet publish -t:PublishContainer` builds the images the manifests run. Building one needs the
/// base image from its registry, so CI checks the container properties instead.
/// </summary>
[Trait("Tier", "Deployment")]
public sealed class ContainerImageTests
{
    [Fact]
    public async Task Api_project_publishes_the_image_and_port_the_deployment_runs()
    {
        var result = await Tool.RunAsync("dotnet",
            ["msbuild", Path.Combine(Repository.Root, "MapServer.Api", "MapServer.Api.csproj"),
                "-getProperty:ContainerRegistry", "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag",
                "-getItem:ContainerPort", "-getItem:ContainerEnvironmentVariable"],
            Repository.Root, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe("dotnet msbuild -getProperty"));
        var json = JsonNode.Parse(result.StandardOutput)!;
        var properties = json["Properties"]!;
        var ports = json["Items"]!["ContainerPort"]!.AsArray();
        var environment = json["Items"]!["ContainerEnvironmentVariable"]!.AsArray()
            .ToDictionary(e => e!["Identity"]!.GetValue<string>(), e => e!["Value"]!.GetValue<string>());

        Assert.Equal("mcp-map-server", properties["ContainerRepository"]!.GetValue<string>());
        Assert.Equal("8081", Assert.Single(ports)!["Identity"]!.GetValue<string>());
        Assert.Equal("8081", environment["ASPNETCORE_HTTP_PORTS"]);

        var deployment = (await RenderedManifestTests.RenderAsync("aspirate-output")).Named<V1Deployment>("mcp-map-server");
        var container = RenderedManifestTests.Container(deployment);
        Assert.Equal($"{properties["ContainerRepository"]}:{properties["ContainerImageTag"]}", container.Image);
        Assert.Equal(8081, Assert.Single(container.Ports).ContainerPort);
    }

    [Fact]
    public async Task Renderer_project_publishes_an_image_with_chromium_run_as_its_unprivileged_user()
    {
        var result = await Tool.RunAsync("dotnet",
            ["msbuild", Path.Combine(Repository.Root, "MapServer.Renderer", "MapServer.Renderer.csproj"),
                "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getProperty:ContainerBaseImage", "-getProperty:ContainerUser",
                "-getItem:ContainerEnvironmentVariable"],
            Repository.Root, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe("dotnet msbuild -getProperty"));
        var json = JsonNode.Parse(result.StandardOutput)!;
        var properties = json["Properties"]!;
        var environment = json["Items"]!["ContainerEnvironmentVariable"]!.AsArray()
            .ToDictionary(e => e!["Identity"]!.GetValue<string>(), e => e!["Value"]!.GetValue<string>());

        // Microsoft's Playwright image: the Chromium build this Microsoft.Playwright drives, as `pwuser`.
        Assert.StartsWith("mcr.microsoft.com/playwright/dotnet:v1.64.1-", properties["ContainerBaseImage"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("pwuser", properties["ContainerUser"]!.GetValue<string>());
        Assert.Equal("", environment["Renderer__ChromiumPath"]); // the image's own Chromium, not Debian's path

        var deployment = (await RenderedManifestTests.RenderAsync("aspirate-output")).Named<V1Deployment>("map-renderer");
        Assert.Equal($"{properties["ContainerRepository"]}:{properties["ContainerImageTag"]}", RenderedManifestTests.Container(deployment).Image);
    }

    [Fact]
    public async Task Viewer_project_publishes_the_image_and_port_the_deployment_runs()
    {
        var result = await Tool.RunAsync("dotnet",
            ["msbuild", Path.Combine(Repository.Root, "MapServer.Web", "MapServer.Web.csproj"),
                "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getItem:ContainerPort"],
            Repository.Root, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe("dotnet msbuild -getProperty"));
        var json = JsonNode.Parse(result.StandardOutput)!;
        var properties = json["Properties"]!;

        Assert.Equal("map-viewer", properties["ContainerRepository"]!.GetValue<string>());
        Assert.Equal("8080", Assert.Single(json["Items"]!["ContainerPort"]!.AsArray())!["Identity"]!.GetValue<string>());
        var deployment = (await RenderedManifestTests.RenderAsync("aspirate-output")).Named<V1Deployment>("map-viewer");
        var container = RenderedManifestTests.Container(deployment);
        Assert.Equal($"{properties["ContainerRepository"]}:{properties["ContainerImageTag"]}", container.Image);
        Assert.Equal(8080, Assert.Single(container.Ports).ContainerPort);
    }

    public static TheoryData<string, string, string, string> DeployableProjects => new()
    {
        { "MapServer.Api", "mcp-map-server", "1654", "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra" },
        { "MapServer.Web", "map-viewer", "1654", "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra" },
        { "MapServer.Renderer", "map-renderer", "pwuser", "mcr.microsoft.com/playwright/dotnet:v1.64.1-noble" },
    };

    [Theory]
    [MemberData(nameof(DeployableProjects))]
    public async Task Release_image_resolves_as_the_release_workflow_publishes_it_non_root_tagged_and_labelled(string project, string repository, string user, string baseImage)
    {
        // The container configuration the SDK computes for the release workflow's publish (its tag arguments, a version
        // and a commit), without pulling the base image: what publishing to an archive or a registry would build.
        var result = await Tool.RunAsync("dotnet",
            ["msbuild", Path.Combine(Repository.Root, project, $"{project}.csproj"), "-t:ComputeContainerConfig",
                "-p:ContainerImageTag=", "-p:ContainerImageTags=\"1.2.3;0123456789ab\"", "-p:Version=1.2.3", "-p:SourceRevisionId=0123456789abcdef",
                "-getProperty:ContainerRepository", "-getProperty:ContainerUser", "-getProperty:ContainerBaseImage", "-getProperty:ContainerImageTags",
                "-getItem:ContainerPort", "-getItem:ContainerLabel"],
            Repository.Root, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Describe("dotnet msbuild -t:ComputeContainerConfig"));
        var json = JsonNode.Parse(result.StandardOutput[result.StandardOutput.IndexOf('{', StringComparison.Ordinal)..])!;
        var properties = json["Properties"]!;
        var labels = json["Items"]!["ContainerLabel"]!.AsArray().ToDictionary(l => l!["Identity"]!.GetValue<string>(), l => l!["Value"]!.GetValue<string>());

        Assert.Equal(repository, properties["ContainerRepository"]!.GetValue<string>());
        Assert.Equal(user, properties["ContainerUser"]!.GetValue<string>());
        Assert.NotEqual("root", user);
        Assert.Equal(baseImage, properties["ContainerBaseImage"]!.GetValue<string>());
        Assert.Equal("1.2.3;0123456789ab", properties["ContainerImageTags"]!.GetValue<string>());
        Assert.Equal("1.2.3", labels["org.opencontainers.image.version"]);
        Assert.Equal(baseImage, labels["org.opencontainers.image.base.name"]);

        var deployment = (await RenderedManifestTests.RenderAsync("deploy/production")).Named<V1Deployment>(repository);
        var container = RenderedManifestTests.Container(deployment);
        var port = json["Items"]!["ContainerPort"]?.AsArray().Select(p => int.Parse(p!["Identity"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (port is { Count: > 0 })
        {
            Assert.Equal(Assert.Single(port), Assert.Single(container.Ports).ContainerPort);
        }

        var runAs = deployment.Spec.Template.Spec.SecurityContext?.RunAsUser ?? container.SecurityContext?.RunAsUser;
        Assert.Equal(user == "pwuser" ? 1000 : long.Parse(user, System.Globalization.CultureInfo.InvariantCulture), runAs);
    }
}
