using System.Text.RegularExpressions;

namespace MapServer.Api.Maps;

/// <summary>
/// A layer's GeoJSON, stored once beside the state (content-addressed) instead of inside it: the state
/// keeps this reference and the source's <c>data</c> holds <see cref="Path"/>, which the api serves.
/// </summary>
public sealed partial record LayerData(string Sha256, long Bytes, int Features)
{
    /// <summary>Where the api serves a session's layer data (relative, so it works through any origin that forwards /sessions).</summary>
    public static string Path(string sessionId, string sha256) => $"/sessions/{sessionId}/data/{sha256}";

    /// <summary>Reads a data URL of this server (relative or absolute, any session).</summary>
    public static bool TryParseUrl(string url, out string sessionId, out string sha256)
    {
        var match = DataUrl().Match(url);
        (sessionId, sha256) = match.Success ? (match.Groups["session"].Value, match.Groups["sha"].Value) : ("", "");
        return match.Success;
    }

    /// <summary>A SHA-256 as it appears in data URLs and keys: 64 lower-case hex digits.</summary>
    public static bool IsSha256(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower);

    [GeneratedRegex(@"^(?:https?://[^/]+)?/sessions/(?<session>[A-Za-z0-9_-]{22})/data/(?<sha>[0-9a-f]{64})$")]
    private static partial Regex DataUrl();
}
