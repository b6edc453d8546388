using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MapServer.Api.Security;

/// <summary>
/// The configured API keys, held as SHA-256 hashes: a presented key is hashed and compared with every
/// configured hash in constant time, so neither the comparison nor the order of keys leaks anything.
/// </summary>
public sealed class ApiKeys
{
    private readonly (string Name, byte[] Hash)[] _keys;

    public ApiKeys(IReadOnlyDictionary<string, string> hashesByName)
    {
        _keys = [.. hashesByName.Select(pair => (pair.Key, ParseHash(pair.Key, pair.Value)))];
    }

    public int Count => _keys.Length;

    /// <summary>The name of the key, or null when it is none of the configured ones.</summary>
    public string? Find(string presentedKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), hash);
        string? match = null;
        foreach (var (name, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = name; // no early exit: every key is compared
            }
        }

        return match;
    }

    /// <summary>A new key (256 random bits, base64url with a recognisable prefix) and its SHA-256 hex for configuration.</summary>
    public static (string Key, string Sha256Hex) Mint()
    {
        var key = "msk_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (key, Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static byte[] ParseHash(string name, string hex)
    {
        var trimmed = hex.Trim();
        if (trimmed.Length != SHA256.HashSizeInBytes * 2 || !trimmed.All(Uri.IsHexDigit))
        {
            throw new InvalidOperationException(
                $"MapServer:Auth:ApiKeys:{name} is not a SHA-256 hex digest (64 hex characters). Store the key's hash, not the key: `dotnet run --project MapServer.Api -- keygen {name}` prints both.");
        }

        return Convert.FromHexString(trimmed);
    }
}
