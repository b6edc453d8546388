using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MapServer.Tests.Kubernetes;

/// <summary>The MSBuild container properties Aspirate reads from a project (<c>dotnet msbuild -getProperty</c>).</summary>
internal sealed record ContainerProperties(string? ContainerRegistry, string? ContainerRepository, string? ContainerImageName, string? ContainerImageTag);

/// <summary>A manifest that Aspirate 9.1 would turn into wrong or incomplete YAML.</summary>
internal sealed class AspirateEmulationException(string message) : Exception(message);

/// <summary>
/// What <c>aspirate generate --skip-build --disable-secrets --include-dashboard false --image-pull-policy ...
/// --namespace ...</c> (Aspirate 9.1.0, kustomize output) writes for an Aspire manifest, reproduced from
/// its source: expression resolution (ResourceExpressionProcessor, BindingProcessor), container
/// details (ContainerDetailsService) and the deployment/service/kustomization/namespace templates,
/// rendered the way Handlebars.Net renders them (standalone block lines vanish).
/// Anything the model does not use (volumes, annotations, Dockerfiles, parameters) is refused rather
/// than guessed, so a change to the AppHost that needs it fails loudly.
/// </summary>
internal static class AspirateEmulator
{
    private static readonly string[] SupportedTypes = ["project.v0", "container.v0", "container.v1", "dockerfile.v0", "value.v0", "parameter.v0"];

    /// <summary>Manifest resource types Aspirate 9.1 skips (or mishandles), leaving placeholders behind.</summary>
    public static IReadOnlyList<string> UnsupportedResources(JsonObject resources) =>
        resources
            .Where(r => !SupportedTypes.Contains(Type(r.Value)))
            .Select(r => $"{r.Key} ({Type(r.Value)})")
            .ToList();

    /// <summary>Every file Aspirate writes into its output folder, keyed by path relative to it ('/' separated).</summary>
    public static async Task<SortedDictionary<string, string>> GenerateAsync(string manifestPath, string @namespace, string imagePullPolicy,
        Func<string, string, Task<ContainerProperties>> readContainerProperties)
    {
        var root = JsonNode.Parse(await File.ReadAllTextAsync(manifestPath))!.AsObject();
        var resources = root["resources"]!.AsObject();

        var unsupported = UnsupportedResources(resources);
        if (unsupported.Count > 0)
        {
            throw new AspirateEmulationException($"Aspirate 9.1 does not support: {string.Join(", ", unsupported)}.");
        }

        EnsureBindingsHavePorts(resources);
        ResolveExpressions(resources);

        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var finalResources = new List<string>();
        foreach (var (key, node) in resources)
        {
            var resource = node!.AsObject();
            var type = Type(resource);
            if (type is "parameter.v0" or "value.v0")
            {
                continue; // configuration only: no folder
            }

            var data = type switch
            {
                "project.v0" => await ProjectData(key, resource, imagePullPolicy, manifestPath, readContainerProperties),
                "container.v0" or "container.v1" => ContainerData(key, resource, imagePullPolicy),
                _ => throw new AspirateEmulationException($"{key}: {type} is not emulated here."),
            };

            files[$"{data.Name}/deployment.yaml"] = RenderDeployment(data);
            files[$"{data.Name}/service.yaml"] = RenderService(data);
            files[$"{data.Name}/kustomization.yaml"] = RenderComponentKustomization(data);
            finalResources.Add(key);
        }

        finalResources.Add("namespace.yaml");
        files["namespace.yaml"] = $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {Checked(@namespace)}";
        files["kustomization.yaml"] = RenderFinalKustomization(@namespace, finalResources);
        return files;
    }

    private sealed record Port(string Name, int InternalPort, int ExternalPort);

    private sealed record DeploymentData(string Name, string Image, string ImagePullPolicy, string? Entrypoint, IReadOnlyList<string> Args,
        IReadOnlyList<Port> Ports, IReadOnlyList<KeyValuePair<string, string>> Env, bool IsProject);

    private static string Type(JsonNode? resource) => resource?["type"]?.GetValue<string>() ?? "(no type)";

    private static void EnsureBindingsHavePorts(JsonObject resources)
    {
        foreach (var (_, resource) in resources)
        {
            if (resource?["bindings"] is not JsonObject bindings)
            {
                continue;
            }

            foreach (var (name, binding) in bindings)
            {
                var targetPort = binding!["targetPort"]?.GetValue<int>() ?? 0;
                if (targetPort == 0 && name.Equals("http", StringComparison.OrdinalIgnoreCase))
                {
                    binding["targetPort"] = 8080;
                }
                else if (targetPort == 0 && name.Equals("https", StringComparison.OrdinalIgnoreCase))
                {
                    binding["targetPort"] = 8443;
                }
            }
        }
    }

    /// <summary>
    /// Resolves <c>{...}</c> in every string property of every resource, until nothing changes.
    /// Like Aspirate, strings inside arrays (args) are left alone. Whatever stays unresolved is an error.
    /// </summary>
    private static void ResolveExpressions(JsonObject resources)
    {
        var values = new List<JsonValue>();
        foreach (var (_, resource) in resources)
        {
            CollectStringProperties(resource!, values);
        }

        for (var round = 0; round < 20; round++)
        {
            var changed = false;
            foreach (var value in values)
            {
                var before = value.GetValue<string>();
                var after = Resolve(before, resources);
                if (!string.Equals(before, after, StringComparison.Ordinal))
                {
                    value.ReplaceWith(after);
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }

            values.Clear();
            foreach (var (_, resource) in resources)
            {
                CollectStringProperties(resource!, values);
            }
        }

        var unresolved = values
            .Select(v => (Path: v.GetPath(), Text: v.GetValue<string>()))
            .Where(v => Placeholders(v.Text).Any())
            .Select(v => $"{v.Path} = {v.Text}")
            .ToList();
        if (unresolved.Count > 0)
        {
            throw new AspirateEmulationException($"Unresolved expressions: {string.Join("; ", unresolved)}");
        }
    }

    private static void CollectStringProperties(JsonNode node, List<JsonValue> values)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var (_, child) in obj)
        {
            switch (child)
            {
                case JsonObject:
                    CollectStringProperties(child, values);
                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    values.Add(value);
                    break;
            }
        }
    }

    private static IEnumerable<(int Start, int Length, string Path)> Placeholders(string text)
    {
        for (var start = text.IndexOf('{', StringComparison.Ordinal); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var end = text.IndexOf('}', start + 1);
            if (end < 0)
            {
                yield break;
            }

            yield return (start, end - start + 1, text[(start + 1)..end]);
        }
    }

    private static string Resolve(string text, JsonObject resources)
    {
        var result = new StringBuilder();
        var position = 0;
        foreach (var (start, length, path) in Placeholders(text).ToList())
        {
            if (start < position)
            {
                continue;
            }

            result.Append(text, position, start - position);
            result.Append(ResolvePath(path, resources) ?? $"{{{path}}}");
            position = start + length;
        }

        result.Append(text, position, text.Length - position);
        return result.ToString();
    }

    private static string? ResolvePath(string path, JsonObject resources)
    {
        var parts = path.Split('.');
        var resource = resources[parts[0]];
        if (resource is null)
        {
            return null;
        }

        if (Type(resource) == "parameter.v0")
        {
            throw new AspirateEmulationException(
                $"{{{path}}} refers to a parameter: Aspirate would generate (or prompt for) its value and write it into a ConfigMap.");
        }

        if (parts.Length == 1)
        {
            return resource.ToJsonString();
        }

        if (parts is [_, "bindings", var bindingName, var property])
        {
            var binding = resource["bindings"]?[bindingName] ?? throw new AspirateEmulationException($"Unknown binding in {{{path}}}.");
            var port = binding["port"]?.GetValue<int>() ?? 0;
            var targetPort = binding["targetPort"]?.GetValue<int>();
            return property switch
            {
                "host" => parts[0],
                "port" => port != 0 ? port.ToString(CultureInfo.InvariantCulture) : targetPort?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                "targetPort" => targetPort?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                "scheme" => binding["scheme"]?.GetValue<string>(),
                "url" when bindingName == "http" => $"http://{parts[0]}:{targetPort}",
                "url" when bindingName == "https" => string.Empty, // Aspirate 9.1 drops https urls
                _ => throw new AspirateEmulationException($"Aspirate 9.1 cannot resolve {{{path}}}."),
            };
        }

        JsonNode? node = resource;
        foreach (var part in parts.Skip(1))
        {
            node = node?[part];
        }

        return node switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw new AspirateEmulationException($"{{{path}}} resolves to {node.ToJsonString()}, not a string."),
        };
    }

    private static List<KeyValuePair<string, string>> Env(JsonObject resource) =>
        resource["env"] is JsonObject env
            ? env.Select(e => KeyValuePair.Create(e.Key, e.Value?.GetValue<string>() ?? string.Empty))
                .Where(e => !string.IsNullOrEmpty(e.Value))
                .ToList()
            : [];

    private static List<Port> Ports(JsonObject resource) =>
        resource["bindings"] is JsonObject bindings
            ? bindings.Select(b => new Port(b.Key, b.Value!["targetPort"]?.GetValue<int>() ?? 0, b.Value!["port"]?.GetValue<int>() ?? 0)).ToList()
            : [];

    private static List<string> Args(JsonObject resource) =>
        resource["args"] is JsonArray args ? args.Select(a => a!.GetValue<string>()).ToList() : [];

    private static void RefuseUnemulated(string key, JsonObject resource)
    {
        foreach (var property in new[] { "volumes", "bindMounts", "annotations", "build", "deployment" })
        {
            if (resource[property] is JsonArray { Count: > 0 } or JsonObject { Count: > 0 })
            {
                throw new AspirateEmulationException($"{key} has {property}: not emulated here (Aspirate would write a different layout).");
            }
        }
    }

    private static DeploymentData ContainerData(string key, JsonObject resource, string imagePullPolicy)
    {
        RefuseUnemulated(key, resource);
        var image = resource["image"]?.GetValue<string>() ?? throw new AspirateEmulationException($"{key} has no image.");
        return new DeploymentData(key.ToLowerInvariant(), image.ToLowerInvariant(), imagePullPolicy, resource["entrypoint"]?.GetValue<string>(),
            Args(resource), Ports(resource), Env(resource), IsProject: false);
    }

    private static async Task<DeploymentData> ProjectData(string key, JsonObject resource, string imagePullPolicy, string manifestPath,
        Func<string, string, Task<ContainerProperties>> readContainerProperties)
    {
        RefuseUnemulated(key, resource);
        var projectPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(manifestPath)!, resource["path"]!.GetValue<string>()));
        var properties = await readContainerProperties(key, projectPath);
        return new DeploymentData(key.ToLowerInvariant(), FullImage(key, properties).ToLowerInvariant(), imagePullPolicy, null,
            Args(resource), Ports(resource), Env(resource), IsProject: true);
    }

    /// <summary>ContainerDetailsService.GetFullImage with no --container-registry, prefix or tag options.</summary>
    private static string FullImage(string resourceName, ContainerProperties p)
    {
        var repository = p.ContainerRepository;
        if (string.IsNullOrEmpty(repository) && string.IsNullOrEmpty(p.ContainerImageName))
        {
            repository = resourceName;
        }

        var tag = string.IsNullOrEmpty(p.ContainerImageTag) ? "latest" : p.ContainerImageTag;
        var image = new StringBuilder();
        image.Append(p.ContainerRegistry);
        if (!string.IsNullOrEmpty(repository))
        {
            image.Append('/').Append(repository);
        }

        if (!string.IsNullOrEmpty(p.ContainerImageName))
        {
            image.Append('/').Append(p.ContainerImageName);
        }

        image.Append(':').Append(tag.Split(';')[0]);
        return image.ToString().Trim('/');
    }

    /// <summary>
    /// Handlebars.Net HTML-escapes what it interpolates; none of this model's values need it, and a
    /// value that would be escaped is refused rather than guessed at.
    /// </summary>
    private static string Checked(string value) =>
        value.IndexOfAny(['&', '<', '>', '"', '\'', '`', '=']) < 0
            ? value
            : throw new AspirateEmulationException($"'{value}' holds characters Handlebars would escape: check Aspirate's output by hand.");

    private static string Checked(int value) => value.ToString(CultureInfo.InvariantCulture);

    // deployment.hbs
    private static string RenderDeployment(DeploymentData d)
    {
        var y = new StringBuilder();
        y.Append("---\n");
        y.Append("apiVersion: apps/v1\n");
        y.Append("kind: Deployment\n");
        y.Append("metadata:\n");
        y.Append(CultureInfo.InvariantCulture, $"  name: {Checked(d.Name)}\n");
        y.Append("  labels:\n");
        y.Append(CultureInfo.InvariantCulture, $"    app: {Checked(d.Name)}\n");
        y.Append("spec:\n");
        y.Append("  minReadySeconds: 60\n");
        y.Append("  replicas: 1\n");
        y.Append("  selector:\n");
        y.Append("    matchLabels:\n");
        y.Append(CultureInfo.InvariantCulture, $"      app: {Checked(d.Name)}\n");
        y.Append("  strategy:\n");
        y.Append("    type: Recreate\n");
        y.Append("  template:\n");
        y.Append("    metadata:\n");
        y.Append("      labels:\n");
        y.Append(CultureInfo.InvariantCulture, $"        app: {Checked(d.Name)}\n");
        y.Append("    spec:\n");
        y.Append("      containers:\n");
        y.Append(CultureInfo.InvariantCulture, $"      - name: {Checked(d.Name)}\n");
        y.Append(CultureInfo.InvariantCulture, $"        image: {Checked(d.Image)}\n");
        y.Append(CultureInfo.InvariantCulture, $"        imagePullPolicy: {Checked(d.ImagePullPolicy)}\n");
        if (!string.IsNullOrEmpty(d.Entrypoint))
        {
            y.Append("        command:\n");
            y.Append(CultureInfo.InvariantCulture, $"          - {Checked(d.Entrypoint)}\n");
        }

        if (d.Args.Count > 0)
        {
            y.Append("        args:\n");
            foreach (var arg in d.Args)
            {
                y.Append(CultureInfo.InvariantCulture, $"        - {Checked(arg)}\n");
            }
        }

        if (d.Ports.Count > 0)
        {
            y.Append("        ports:\n");
            foreach (var port in d.Ports)
            {
                y.Append(CultureInfo.InvariantCulture, $"        - name: {Checked(port.Name)}\n");
                y.Append(CultureInfo.InvariantCulture, $"          containerPort: {Checked(port.InternalPort)}\n");
            }
        }

        if (d.Env.Count > 0)
        {
            y.Append("        envFrom:\n");
            y.Append("        - configMapRef:\n");
            y.Append(CultureInfo.InvariantCulture, $"            name: {Checked(d.Name)}-env\n");
        }

        y.Append("      terminationGracePeriodSeconds: 180");
        return y.ToString();
    }

    // service.hbs
    private static string RenderService(DeploymentData d)
    {
        if (d.Ports.Count == 0)
        {
            return string.Empty;
        }

        var y = new StringBuilder();
        y.Append("---\n");
        y.Append("apiVersion: v1\n");
        y.Append("kind: Service\n");
        y.Append("metadata:\n");
        y.Append(CultureInfo.InvariantCulture, $"  name: {Checked(d.Name)}\n");
        y.Append("spec:\n");
        y.Append("  type: ClusterIP\n");
        y.Append("  selector:\n");
        y.Append(CultureInfo.InvariantCulture, $"    app: {Checked(d.Name)}\n");
        y.Append("  ports:\n");
        foreach (var port in d.Ports)
        {
            y.Append(CultureInfo.InvariantCulture, $"  - name: {Checked(port.Name)}\n");
            y.Append(CultureInfo.InvariantCulture, $"    port: {Checked(port.ExternalPort != 0 ? port.ExternalPort : port.InternalPort)}\n");
            y.Append(CultureInfo.InvariantCulture, $"    targetPort: {Checked(port.InternalPort)}\n");
        }

        return y.ToString();
    }

    // kustomization.hbs, per resource
    private static string RenderComponentKustomization(DeploymentData d)
    {
        var y = new StringBuilder();
        y.Append("resources:\n");
        y.Append("- deployment.yaml\n");
        y.Append("- service.yaml\n");
        y.Append('\n');
        y.Append("generatorOptions:\n");
        y.Append("  disableNameSuffixHash: true\n");
        y.Append('\n');
        if (d.Env.Count > 0)
        {
            y.Append("configMapGenerator:\n");
            y.Append(CultureInfo.InvariantCulture, $"- name: {Checked(d.Name)}-env\n");
            y.Append("  literals:\n");
            foreach (var (key, value) in d.Env)
            {
                y.Append(CultureInfo.InvariantCulture, $"    - {Checked(key)}={Checked(value)}\n");
            }

            if (d.IsProject)
            {
                y.Append("    - ASPNETCORE_URLS=http://+:8080;\n");
            }
        }

        y.Append('\n');
        return y.ToString();
    }

    // kustomization.hbs, top level (with --namespace)
    private static string RenderFinalKustomization(string @namespace, IEnumerable<string> manifests)
    {
        var y = new StringBuilder();
        y.Append(CultureInfo.InvariantCulture, $"namespace: {Checked(@namespace)}\n");
        y.Append('\n');
        y.Append("resources:\n");
        foreach (var manifest in manifests)
        {
            y.Append(CultureInfo.InvariantCulture, $"- {Checked(manifest)}\n");
        }

        y.Append('\n');
        y.Append("generatorOptions:\n");
        y.Append("  disableNameSuffixHash: true\n");
        y.Append('\n');
        y.Append('\n');
        return y.ToString();
    }
}
