using System.Diagnostics;
using System.Text.Json.Nodes;
using MapServer.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace MapServer.Tests.Events;

/// <summary>
/// The api behind a real nginx configured like the production Ingress (proxy buffering off, hour-long
/// read/send timeouts): MCP calls and live SSE changes pass through it.
/// </summary>
public sealed class IngressTests
{
    private const string Nginx = "/usr/sbin/nginx";

    [Fact]
    public async Task Changes_stream_live_through_an_nginx_proxy_set_up_like_the_ingress()
    {
        if (!File.Exists(Nginx))
        {
            Assert.True(Environment.GetEnvironmentVariable("MAPSERVER_REQUIRE_NGINX") != "1", "nginx is required (MAPSERVER_REQUIRE_NGINX=1) but not installed");
            Assert.Skip("nginx is not installed here (apt-get install nginx-light)");
        }

        await using var api = new ApiInstance(redisConnectionString: null);
        await using var proxy = await NginxProxy.StartAsync(api.BaseAddress);
        using var http = new HttpClient { BaseAddress = proxy.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        await using var agent = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(proxy.BaseAddress, "/mcp") }),
            cancellationToken: TestContext.Current.CancellationToken);
        var created = await agent.CallToolAsync("create_map_session", cancellationToken: TestContext.Current.CancellationToken);
        var sessionId = created.StructuredContent!.Value.GetProperty("sessionId").GetString();

        await using var viewer = await SseViewer.OpenAsync(http, $"/events?session={sessionId}");
        Assert.Equal("snapshot", (await viewer.NextAsync()).EventType);

        await agent.CallToolAsync("set_map_view", new Dictionary<string, object?> { ["session_id"] = sessionId, ["zoom"] = 7 }, cancellationToken: TestContext.Current.CancellationToken);
        var change = await viewer.NextAsync();
        Assert.Equal("change", change.EventType);
        Assert.Equal(7, JsonNode.Parse(change.Data)!["patch"]!["zoom"]!.GetValue<double>()); // a buffering proxy would hold it back past NextAsync's deadline
    }

    private sealed class NginxProxy : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _prefix;

        private NginxProxy(Process process, string prefix, Uri baseAddress)
        {
            _process = process;
            _prefix = prefix;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public static async Task<NginxProxy> StartAsync(Uri upstream)
        {
            var prefix = Directory.CreateTempSubdirectory("mapserver-nginx").FullName;
            var port = RedisServer.FreePort();
            var config = $$"""
                daemon off;
                pid {{prefix}}/nginx.pid;
                error_log {{prefix}}/error.log;
                events {}
                http {
                    access_log off;
                    client_body_temp_path {{prefix}}/body;
                    proxy_temp_path {{prefix}}/proxy;
                    fastcgi_temp_path {{prefix}}/fastcgi;
                    uwsgi_temp_path {{prefix}}/uwsgi;
                    scgi_temp_path {{prefix}}/scgi;
                    server {
                        listen 127.0.0.1:{{port}};
                        location / {
                            proxy_pass {{upstream.ToString().TrimEnd('/')}};
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                            proxy_set_header Host $host;
                            proxy_buffering off;
                            proxy_request_buffering off;
                            proxy_read_timeout 3600s;
                            proxy_send_timeout 3600s;
                        }
                    }
                }
                """;
            await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), config);
            var process = Process.Start(new ProcessStartInfo(Nginx, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")])
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var proxy = new NginxProxy(process, prefix, new Uri($"http://127.0.0.1:{port}"));
            using var probe = new HttpClient();
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var response = await probe.GetAsync(new Uri(proxy.BaseAddress, "/alive"));
                    if (response.IsSuccessStatusCode)
                    {
                        return proxy;
                    }
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                }

                if (process.HasExited || DateTime.UtcNow >= deadline)
                {
                    var log = Path.Combine(prefix, "error.log");
                    Assert.Fail($"nginx did not start: {(process.HasExited ? await process.StandardError.ReadToEndAsync() : "still not answering")} {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}");
                }

                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
            Directory.Delete(_prefix, recursive: true);
        }
    }
}
