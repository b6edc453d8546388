using System.Globalization;
using k8s.Models;

namespace MapServer.Tests.Kubernetes;

/// <summary>
/// What a set of NetworkPolicies lets through, by the rules of networking.k8s.io/v1: a connection
/// needs the sender's egress and the receiver's ingress to allow it; a pod no policy selects for a
/// direction is open in that direction. Ports are numeric (named ports are not used here);
/// ipBlocks match addresses outside the cluster only.
/// </summary>
internal static class NetworkPolicies
{
    public static bool Allows(IEnumerable<V1NetworkPolicy> policies, NetworkPeer from, NetworkPeer to, int port, string protocol = "TCP")
    {
        var all = policies.ToList();
        return Admits(all, "Egress", subject: from, peer: to, port, protocol)
            && Admits(all, "Ingress", subject: to, peer: from, port, protocol);
    }

    /// <summary>Whether the policies isolating <paramref name="subject"/> for <paramref name="direction"/> let it talk to <paramref name="peer"/>.</summary>
    private static bool Admits(List<V1NetworkPolicy> policies, string direction, NetworkPeer subject, NetworkPeer peer, int port, string protocol)
    {
        if (subject.Namespace is null)
        {
            return true; // outside the cluster: no policy applies
        }

        var isolating = policies
            .Where(p => p.Metadata.NamespaceProperty == subject.Namespace
                && PolicyTypes(p).Contains(direction)
                && Selects(p.Spec.PodSelector, subject.Labels))
            .ToList();
        if (isolating.Count == 0)
        {
            return true;
        }

        return isolating.Any(p => direction == "Ingress"
            ? (p.Spec.Ingress ?? []).Any(r => PortMatches(r.Ports, port, protocol) && PeerMatches(r.FromProperty, p.Metadata.NamespaceProperty, peer))
            : (p.Spec.Egress ?? []).Any(r => PortMatches(r.Ports, port, protocol) && PeerMatches(r.To, p.Metadata.NamespaceProperty, peer)));
    }

    private static IList<string> PolicyTypes(V1NetworkPolicy policy) =>
        policy.Spec.PolicyTypes ?? (policy.Spec.Egress is { Count: > 0 } ? ["Ingress", "Egress"] : ["Ingress"]);

    private static bool PortMatches(IList<V1NetworkPolicyPort>? ports, int port, string protocol) =>
        ports is null || ports.Count == 0 || ports.Any(p =>
            (p.Protocol ?? "TCP") == protocol
            && (p.Port is null || (int.TryParse(p.Port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                && port >= first && port <= (p.EndPort ?? first))));

    private static bool PeerMatches(IList<V1NetworkPolicyPeer>? peers, string policyNamespace, NetworkPeer peer) =>
        peers is null || peers.Count == 0 || peers.Any(p => PeerMatches(p, policyNamespace, peer));

    private static bool PeerMatches(V1NetworkPolicyPeer rule, string policyNamespace, NetworkPeer peer)
    {
        if (rule.IpBlock is { } block)
        {
            return peer.Address is { } address
                && IPNetwork.Parse(block.Cidr).Contains(address)
                && !(block.Except ?? []).Any(e => IPNetwork.Parse(e).Contains(address));
        }

        if (peer.Namespace is null)
        {
            return false;
        }

        var namespaceMatches = rule.NamespaceSelector is null
            ? peer.Namespace == policyNamespace
            : Selects(rule.NamespaceSelector, peer.NamespaceLabels);
        return namespaceMatches && (rule.PodSelector is null || Selects(rule.PodSelector, peer.Labels));
    }

    /// <summary>Label selector semantics: every matchLabels pair and every expression must hold; an empty selector selects all.</summary>
    private static bool Selects(V1LabelSelector selector, IReadOnlyDictionary<string, string> labels) =>
        (selector.MatchLabels ?? new Dictionary<string, string>()).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
        && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => throw new InvalidOperationException($"Unknown selector operator {e.OperatorProperty}."),
        });
}
