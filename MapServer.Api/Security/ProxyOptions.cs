namespace MapServer.Api.Security;

/// <summary>Proxies whose X-Forwarded-* headers are believed (<c>MapServer:Proxy</c>); everyone else's are ignored.</summary>
public sealed class ProxyOptions
{
    public const string Section = "MapServer:Proxy";

    /// <summary>CIDR ranges (';'-separated) of the ingress controller and the viewer pods, e.g. the cluster's pod network.</summary>
    public string KnownNetworks { get; set; } = "";

    /// <summary>Single proxy addresses (';'-separated).</summary>
    public string KnownProxies { get; set; } = "";
}
