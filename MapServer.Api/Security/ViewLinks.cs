using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using MapServer.Api.Sessions;
using StackExchange.Redis;

namespace MapServer.Api.Security;

/// <summary>
/// Share links. A view token is the session id encrypted (one AES block: the 128-bit id is exactly
/// one) under a key every replica shares, prefixed with <c>v</c>: it opens the map, its stream and its data,
/// but it is not the id, so no tool accepts it and the id cannot be worked out from it. An import token
/// (<c>i</c>) is made the same way from the id masked with a constant, so neither token can be made from the
/// other: it opens the map as a view token does and may also import files onto it (nothing else). The key comes
/// from Redis (created once by whichever replica asks first), or lives in memory when the api runs alone.
/// </summary>
public sealed class ViewLinks(IServiceProvider services) : IDisposable
{
    public const char Prefix = 'v';

    public const char ImportPrefix = 'i';

    // XORed into the id before encryption for import tokens: a different block, so a different token.
    private static readonly byte[] ImportMask = [0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x66, 0x69, 0x6c, 0x65, 0x73, 0x2d, 0x6d, 0x61, 0x70];

    /// <summary>Where the shared key lives: outside any session's hash slot, never expires.</summary>
    public static readonly RedisKey KeyName = "map_server:view_link_key";

    // Keyed by the event's JSON string itself: entries go when the event does.
    private static readonly ConditionalWeakTable<string, string> PresentedEvents = new();

    private readonly IConnectionMultiplexer? _redis = services.GetService<IConnectionMultiplexer>();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Aes? _aes;

    /// <summary>Whether <paramref name="value"/> has the shape of a read-only view token.</summary>
    public static bool IsToken(string? value) => HasTokenShape(value, Prefix);

    /// <summary>Whether <paramref name="value"/> has the shape of an import token.</summary>
    public static bool IsImportToken(string? value) => HasTokenShape(value, ImportPrefix);

    /// <summary>The read-only token of a session.</summary>
    public Task<string> TokenForAsync(string sessionId, CancellationToken cancellationToken) => EncryptAsync(sessionId, Prefix, cancellationToken);

    /// <summary>The import token of a session: its map, and importing files onto it.</summary>
    public Task<string> ImportTokenForAsync(string sessionId, CancellationToken cancellationToken) => EncryptAsync(sessionId, ImportPrefix, cancellationToken);

    /// <summary>The session a viewer names: an id as it is, a view token decrypted; null when it is neither.</summary>
    public async Task<(string SessionId, string? Token)?> ResolveAsync(string? idOrToken, CancellationToken cancellationToken)
    {
        if (MapSessionId.IsWellFormed(idOrToken))
        {
            return (idOrToken!, null);
        }

        // Only the canonical encoding of one block: every token handed out is one; anything else is no session.
        if (!(IsToken(idOrToken) || IsImportToken(idOrToken)) || !Base64Url.IsValid(idOrToken.AsSpan(1), out var length) || length != 16)
        {
            return null;
        }

        var block = Base64Url.DecodeFromChars(idOrToken.AsSpan(1));
        var aes = await CipherAsync(cancellationToken);
        byte[] id;
        lock (_gate)
        {
            id = aes.DecryptEcb(block, PaddingMode.None);
        }

        if (IsImportToken(idOrToken))
        {
            Mask(id);
        }

        return (Base64Url.EncodeToString(id), idOrToken);
    }

    /// <summary>
    /// What a read-only viewer is sent: the state or event JSON with the id in this server's data paths replaced by the token.
    /// A text replace on the serialized JSON, on purpose: it is one pass over a string the viewers share (no parse and
    /// rewrite of a state that may hold megabytes), and it is exact because <c>/sessions/&lt;id&gt;/</c> (a random
    /// 22-character base64url id between slashes) occurs only where the id is, and the token is base64url too, so the
    /// JSON stays valid and nothing needs escaping. Where the same text appears in a note, it is the same secret, hidden too.
    /// </summary>
    public static string Present(string json, string sessionId, string? token) =>
        token is null ? json : json.Replace($"/sessions/{sessionId}/", $"/sessions/{token}/", StringComparison.Ordinal);

    /// <summary>
    /// <see cref="Present"/> for a published change event: every read-only viewer of a session on this replica gets the
    /// same event JSON (one string) and the same token, so the rewrite is made once per event, not once per viewer.
    /// </summary>
    public static string PresentEvent(string eventJson, string sessionId, string? token)
    {
        if (token is null)
        {
            return eventJson;
        }

        return PresentedEvents.TryGetValue(eventJson, out var presented)
            ? presented
            : PresentedEvents.GetValue(eventJson, json => Present(json, sessionId, token));
    }

    private static bool HasTokenShape(string? value, char prefix) =>
        value is { Length: 23 } && value[0] == prefix && MapSessionId.IsWellFormed(value[1..]);

    private static void Mask(Span<byte> block)
    {
        for (var i = 0; i < block.Length; i++)
        {
            block[i] ^= ImportMask[i];
        }
    }

    private async Task<string> EncryptAsync(string sessionId, char prefix, CancellationToken cancellationToken)
    {
        var block = Base64Url.DecodeFromChars(sessionId);
        if (prefix == ImportPrefix)
        {
            Mask(block);
        }

        var aes = await CipherAsync(cancellationToken);
        lock (_gate)
        {
            return prefix + Base64Url.EncodeToString(aes.EncryptEcb(block, PaddingMode.None));
        }
    }

    public void Dispose()
    {
        _aes?.Dispose();
        _loading.Dispose();
    }

    private async Task<Aes> CipherAsync(CancellationToken cancellationToken)
    {
        if (_aes is { } ready)
        {
            return ready;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_aes is null)
            {
                var key = RandomNumberGenerator.GetBytes(32);
                if (_redis is not null)
                {
                    var database = _redis.GetDatabase();
                    await database.StringSetAsync(KeyName, key, when: When.NotExists);
                    key = (byte[])(await database.StringGetAsync(KeyName))!;
                }

                var aes = Aes.Create();
                aes.Key = key;
                _aes = aes;
            }

            return _aes;
        }
        finally
        {
            _loading.Release();
        }
    }
}
