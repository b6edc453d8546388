using System.Diagnostics;
using System.Globalization;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// A real nginx configured like the production Ingress (proxy buffering off, hour-long read/send timeouts) in front
/// of one or more api replicas: a replica that refuses connections is skipped for the next one, as ingress-nginx does.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private const string Nginx = "/usr/sbin/nginx";

    private readonly Process _process;
    private readonly string _prefix;

    private NginxProxy(Process process, string prefix, int port)
    {
        _process = process;
        _prefix = prefix;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseAddress { get; }

    public static void SkipUnlessInstalled()
    {
        if (!File.Exists(Nginx))
        {
            Assert.True(Environment.GetEnvironmentVariable("MAPSERVER_REQUIRE_NGINX") != "1", "nginx is required (MAPSERVER_REQUIRE_NGINX=1) but not installed");
            Assert.Skip("nginx is not installed here (apt-get install nginx-light)");
        }
    }

    public static async Task<NginxProxy> StartAsync(params Uri[] upstreams)
    {
        var prefix = System.IO.Directory.CreateTempSubdirectory("mapserver-nginx").FullName;
        var port = RedisServer.FreePort();
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), Config(prefix, port, upstreams));
        var process = Process.Start(new ProcessStartInfo(Nginx, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf")])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var proxy = new NginxProxy(process, prefix, port);
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

    private static string Config(string prefix, int port, Uri[] upstreams)
    {
        var servers = string.Join(Environment.NewLine, upstreams.Select(u => $"        server {u.Host}:{u.Port.ToString(CultureInfo.InvariantCulture)} max_fails=1 fail_timeout=10s;"));
        return $$"""
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
                upstream api {
            {{servers}}
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://api;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_buffering off;
                        proxy_request_buffering off;
                        proxy_read_timeout 3600s;
                        proxy_send_timeout 3600s;
                        proxy_connect_timeout 2s;
                        proxy_next_upstream error timeout http_502 http_503;
                    }
                }
            }
            """;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(_prefix, recursive: true);
    }
}
