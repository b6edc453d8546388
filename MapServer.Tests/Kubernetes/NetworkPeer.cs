namespace MapServer.Tests.Kubernetes;

/// <summary>One end of a connection: a pod (its namespace and labels) or an address outside the cluster.</summary>
internal sealed record NetworkPeer(string? Namespace, IReadOnlyDictionary<string, string> Labels, IPAddress? Address)
{
    public static NetworkPeer Pod(string @namespace, IDictionary<string, string> labels) =>
        new(@namespace, new Dictionary<string, string>(labels), null);

    public static NetworkPeer Pod(string @namespace, string app) =>
        Pod(@namespace, new Dictionary<string, string> { ["app"] = app });

    public static NetworkPeer External(string address) =>
        new(null, new Dictionary<string, string>(), IPAddress.Parse(address));

    /// <summary>The label Kubernetes puts on every namespace, the one the policies select namespaces by.</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels =>
        Namespace is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace };

    public override string ToString() =>
        Namespace is null ? $"{Address}" : $"{Namespace}/{string.Join(',', Labels.Select(l => $"{l.Key}={l.Value}"))}";
}
