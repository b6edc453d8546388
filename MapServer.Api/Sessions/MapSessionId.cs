using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MapServer.Api.Sessions;

/// <summary>Map session ids: 128 random bits, base64url without padding (22 characters).</summary>
public static partial class MapSessionId
{
    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? id) => id is not null && Format().IsMatch(id);

    [GeneratedRegex("^[A-Za-z0-9_-]{22}$")]
    private static partial Regex Format();
}
