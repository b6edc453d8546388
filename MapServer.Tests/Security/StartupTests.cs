using System.Text.RegularExpressions;
using MapServer.Api.Security;
using MapServer.Tests.Kubernetes;

namespace MapServer.Tests.Security;

/// <summary>The api as shipped (its built dll, run by dotnet): what it does before it serves anything.</summary>
[Trait("Tier", "App")]
public sealed partial class StartupTests
{
    private static string ApiDll => Path.Combine(Repository.Root, "MapServer.Api", "bin", Repository.Configuration, "net10.0", "MapServer.Api.dll");

    [Theory]
    [InlineData(null, "Set MapServer:Auth:Mode")]
    [InlineData("Open", "use ApiKey, OAuth or None")]
    [InlineData("OAuth", "OAuth:Authority")]
    public async Task Production_refuses_to_start_without_a_valid_auth_mode_and_says_which_key_to_set(string? mode, string message)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };
        if (mode is not null)
        {
            environment["MapServer__Auth__Mode"] = mode;
        }

        var run = await Tool.RunAsync("dotnet", [ApiDll], Repository.Root, TimeSpan.FromSeconds(60), environment);

        Assert.True(run.ExitCode == 1, run.Describe("the api"));
        Assert.Contains(message, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Refusing to start", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_an_api_key_setting_that_holds_a_key_instead_of_its_hash()
    {
        var run = await Tool.RunAsync("dotnet", [ApiDll], Repository.Root, TimeSpan.FromSeconds(60), new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["MapServer__Auth__Mode"] = "ApiKey",
            ["MapServer__Auth__ApiKeys__alice"] = "msk_this-is-a-key-not-a-hash",
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a SHA-256 hex digest", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_prints_a_new_key_once_and_the_setting_holding_its_hash()
    {
        var run = await Tool.RunAsync("dotnet", [ApiDll, "keygen", "alice"], Repository.Root, TimeSpan.FromSeconds(60));

        Assert.True(run.ExitCode == 0, run.Describe("keygen"));
        var key = KeyLine().Match(run.StandardOutput).Groups[1].Value;
        var hash = HashLine().Match(run.StandardOutput).Groups[1].Value;
        Assert.StartsWith("msk_", key, StringComparison.Ordinal);
        Assert.Equal(ApiKeys.Hash(key), hash);
        Assert.Equal("alice", new ApiKeys(new Dictionary<string, string> { ["alice"] = hash }).Find(key));
        Assert.Null(new ApiKeys(new Dictionary<string, string> { ["alice"] = hash }).Find(key + "x"));
    }

    [GeneratedRegex(@"^\s+(msk_\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"MapServer__Auth__ApiKeys__alice=([0-9a-f]{64})\s*$", RegexOptions.Multiline)]
    private static partial Regex HashLine();
}
