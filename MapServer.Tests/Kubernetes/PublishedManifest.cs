using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Tests.Kubernetes;

/// <summary>
/// The AppHost's manifest, published once per test run the way Aspirate asks for it
/// (<c>dotnet run --project MapServer.AppHost -- --publisher manifest --output-path ...</c>), reusing
/// the build the tests already made.
/// </summary>
internal static class PublishedManifest
{
    private static readonly Lazy<Task<Published>> Once = new(PublishAsync);

    internal sealed record Published(string ManifestPath, string Text, ToolResult Run)
    {
        public JsonObject Resources => JsonNode.Parse(Text)!["resources"]!.AsObject();
    }

    public static Task<Published> GetAsync() => Once.Value;

    /// <summary>The manifest as it reads when written to aspirate-output/manifest.json: project paths relative to that folder.</summary>
    public static string AsIfWrittenTo(Published published, string directory)
    {
        var text = published.Text;
        foreach (var (_, resource) in published.Resources)
        {
            if (resource?["path"]?.GetValue<string>() is { } path)
            {
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(published.ManifestPath)!, path));
                var relative = Path.GetRelativePath(directory, full).Replace(Path.DirectorySeparatorChar, '/');
                text = text.Replace($"\"path\": {JsonSerializer.Serialize(path)}", $"\"path\": {JsonSerializer.Serialize(relative)}", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>The container properties Aspirate reads with <c>dotnet msbuild -getProperty</c>.</summary>
    public static async Task<ContainerProperties> ReadContainerPropertiesAsync(string projectPath)
    {
        var result = await Tool.RunAsync("dotnet",
            ["msbuild", projectPath, "-getProperty:ContainerRegistry", "-getProperty:ContainerRepository", "-getProperty:ContainerImageName", "-getProperty:ContainerImageTag"],
            Repository.Root, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, result.Describe("dotnet msbuild -getProperty"));
        var properties = JsonNode.Parse(result.StandardOutput)!["Properties"]!;
        return new ContainerProperties(
            properties["ContainerRegistry"]?.GetValue<string>(),
            properties["ContainerRepository"]?.GetValue<string>(),
            properties["ContainerImageName"]?.GetValue<string>(),
            properties["ContainerImageTag"]?.GetValue<string>());
    }

    private static async Task<Published> PublishAsync()
    {
        var directory = Directory.CreateTempSubdirectory("mapserver-manifest-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        var manifestPath = Path.Combine(directory, "manifest.json");
        var run = await Tool.RunAsync("dotnet",
            ["run", "--no-build", "--configuration", Repository.Configuration, "--project", Path.Combine(Repository.Root, "MapServer.AppHost"),
                "--", "--publisher", "manifest", "--output-path", manifestPath],
            Repository.Root, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0 && File.Exists(manifestPath), run.Describe("Publishing the AppHost manifest"));
        return new Published(manifestPath, await File.ReadAllTextAsync(manifestPath), run);
    }
}
