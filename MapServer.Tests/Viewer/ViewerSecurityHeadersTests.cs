using MapServer.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace MapServer.Tests.Viewer;

/// <summary>The policy the viewer builds from the api's source settings (<c>MapServer:Sources</c>).</summary>
[Trait("Tier", "App")]
public sealed class ViewerSecurityHeadersTests
{
    private static readonly string[] Basemaps = [.. ViewerSecurityHeaders.BasemapHosts.Select(host => $"https://{host}")];

    private static Dictionary<string, string[]> Policy(ViewerSecurityHeaders headers, ImportMapDefinition? importMap = null) =>
        PolicyDirectives.Parse(headers.ContentSecurityPolicy(importMap));

    private static ViewerSecurityHeaders FromSettings(string environment, Dictionary<string, string?> settings) =>
        ViewerSecurityHeaders.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(settings).Build(),
            new HostingEnvironment { EnvironmentName = environment });

    [Fact]
    public void Without_allowed_hosts_any_https_host_may_serve_images_and_data_but_not_http()
    {
        var policy = Policy(FromSettings("Production", []));

        Assert.Equal(["'self'", "data:", "blob:", .. Basemaps, "https:"], policy["img-src"]);
        Assert.Equal(["'self'", .. Basemaps, "https:"], policy["connect-src"]);
        Assert.DoesNotContain("http:", policy["img-src"]);
    }

    [Fact]
    public void Allowed_hosts_are_listed_exactly_beside_the_basemaps_instead_of_any_https_host()
    {
        var policy = Policy(FromSettings("Production", new() { [ViewerSecurityHeaders.AllowedHostsKey] = " Tiles.Example.com ; data.example.org;" }));

        Assert.Equal(["'self'", "data:", "blob:", .. Basemaps, "https://tiles.example.com", "https://data.example.org"], policy["img-src"]);
        Assert.Equal(["'self'", .. Basemaps, "https://tiles.example.com", "https://data.example.org"], policy["connect-src"]);
    }

    [Fact]
    public void Allowing_http_adds_http_for_the_allowed_hosts_or_any_host()
    {
        var listed = Policy(FromSettings("Production", new() { [ViewerSecurityHeaders.AllowedHostsKey] = "tiles.example.com", [ViewerSecurityHeaders.AllowHttpKey] = "true" }));
        var any = Policy(FromSettings("Production", new() { [ViewerSecurityHeaders.AllowHttpKey] = "true" }));

        Assert.Equal(["https://tiles.example.com", "http://tiles.example.com"], listed["connect-src"][^2..]);
        Assert.DoesNotContain("http:", listed["connect-src"]);
        Assert.Equal(["https:", "http:"], any["img-src"][^2..]);
        Assert.Equal(["https:", "http:"], any["connect-src"][^2..]);
    }

    [Fact]
    public void Development_allows_http_unless_told_otherwise()
    {
        Assert.Contains("http:", Policy(FromSettings("Development", []))["img-src"]);
        Assert.DoesNotContain("http:", Policy(FromSettings("Development", new() { [ViewerSecurityHeaders.AllowHttpKey] = "false" }))["img-src"]);
        Assert.DoesNotContain("http:", Policy(FromSettings("Staging", []))["connect-src"]);
    }

    [Fact]
    public void Page_with_an_import_map_allows_that_inline_script_by_its_hash_and_nothing_else_inline()
    {
        var importMap = new ImportMapDefinition(new Dictionary<string, string> { ["./app.js"] = "./app.abc123.js" }, null, null);

        var policy = Policy(new ViewerSecurityHeaders([], allowHttp: false), importMap);

        Assert.Equal(["'self'", $"'{ViewerSecurityHeaders.ScriptHash(importMap.ToString())}'"], policy["script-src"]);
        Assert.Equal(["'self'"], Policy(new ViewerSecurityHeaders([], allowHttp: false))["script-src"]);
        Assert.DoesNotContain("'unsafe-eval'", policy.Values.SelectMany(sources => sources));
    }

    [Fact]
    public void Script_hash_is_the_base64_sha256_of_the_script_text()
    {
        // echo -n 'alert(1)' | openssl dgst -sha256 -binary | base64
        Assert.Equal("sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=", ViewerSecurityHeaders.ScriptHash("alert(1)"));
    }

    [Theory]
    [InlineData("tiles.example.com 'unsafe-inline'")]
    [InlineData("https://tiles.example.com")]
    [InlineData("tiles.example.com/path")]
    public void Allowed_host_that_is_not_a_host_name_is_refused_at_startup(string host)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => FromSettings("Production", new() { [ViewerSecurityHeaders.AllowedHostsKey] = host }));
        Assert.Contains(ViewerSecurityHeaders.AllowedHostsKey, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_keeps_frame_ancestors_self_and_shuts_plugins_base_and_forms()
    {
        var policy = Policy(new ViewerSecurityHeaders([], allowHttp: false));

        Assert.Equal(["'self'"], policy["default-src"]);
        Assert.Equal(["'self'"], policy["frame-ancestors"]);
        Assert.Equal(["'none'"], policy["object-src"]);
        Assert.Equal(["'self'"], policy["base-uri"]);
        Assert.Equal(["'self'"], policy["form-action"]);
        Assert.Equal(["'self'", "blob:"], policy["worker-src"]);
    }
}
