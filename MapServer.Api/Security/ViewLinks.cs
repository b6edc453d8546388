using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using MapServer.Api.Sessions;
using StackExchange.Redis;

namespace MapServer.Api.Security;

/// <summary>
/// Read-only share links. A view token is the session id encrypted (one AES block: the 128-bit id is exactly
/// one) under a key every replica shares, prefixed with <c>v</c>: it opens the map, its stream and its data,
/// but it is not the id, so no tool accepts it and the id cannot be worked out from it. The key comes from
/// Redis (created once by whichever replica asks first), or lives in memory when the api runs alone.
/// </summary>
public sealed class ViewLinks(IServiceProvider services) : IDisposable
{
    public const char Prefix = 'v';

    /// <summary>Where the shared key lives: outside any session's hash slot, never expires.</summary>
    public static readonly RedisKey KeyName = "map_server:view_link_key";

    // Keyed by the event's JSON string itself: entries go when the event does.
    private static readonly ConditionalWeakTable<string, string> PresentedEvents = new();

    private readonly IConnectionMultiplexer? _redis = services.GetService<IConnectionMultiplexer>();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Aes? _aes;

    public static bool IsToken(string? value) =>
        value is { Length: 23 } && value[0] == Prefix && MapSessionId.IsWellFormed(value[1..]);

    /// <summary>The read-only token of a session.</summary>
    public async Task<string> TokenForAsync(string sessionId, CancellationToken cancellationToken)
    {
        var aes = await CipherAsync(cancellationToken);
        lock (_gate)
        {
            return Prefix + Base64Url.EncodeToString(aes.EncryptEcb(Base64Url.DecodeFromChars(sessionId), PaddingMode.None));
        }
    }

    /// <summary>The session a viewer names: an id as it is, a view token decrypted; null when it is neither.</summary>
    public async Task<(string SessionId, string? Token)?> ResolveAsync(string? idOrToken, CancellationToken cancellationToken)
    {
        if (MapSessionId.IsWellFormed(idOrToken))
        {
            return (idOrToken!, null);
        }

        // Only the canonical encoding of one block: every token handed out is one; anything else is no session.
        if (!IsToken(idOrToken) || !Base64Url.IsValid(idOrToken.AsSpan(1), out var length) || length != 16)
        {
            return null;
        }

        var block = Base64Url.DecodeFromChars(idOrToken.AsSpan(1));
        var aes = await CipherAsync(cancellationToken);
        lock (_gate)
        {
            return (Base64Url.EncodeToString(aes.DecryptEcb(block, PaddingMode.None)), idOrToken);
        }
    }

    /// <summary>What a read-only viewer is sent: the state or event JSON with the id in this server's data paths replaced by the token.</summary>
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
