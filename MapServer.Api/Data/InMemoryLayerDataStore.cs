using System.Collections.Concurrent;
using MapServer.Api.Sessions;

namespace MapServer.Api.Data;

/// <summary>The same contract as <see cref="RedisLayerDataStore"/> in one process, beside <see cref="InMemoryMapSessionStore"/>.</summary>
public sealed class InMemoryLayerDataStore(IMapSessionStore sessions) : ILayerDataStore
{
    private readonly ConcurrentDictionary<(string Session, string Sha256), byte[]> _data = new();

    public async Task<bool> PutAsync(string sessionId, string sha256, byte[] gzip, CancellationToken cancellationToken = default)
    {
        if (await sessions.GetAsync(sessionId, cancellationToken) is null)
        {
            return false;
        }

        _data.TryAdd((sessionId, sha256), gzip);
        return true;
    }

    public Task DeleteAsync(string sessionId, string sha256, CancellationToken cancellationToken = default)
    {
        _data.TryRemove((sessionId, sha256), out _);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string sessionId, string sha256, CancellationToken cancellationToken = default) =>
        Task.FromResult(_data.GetValueOrDefault((sessionId, sha256)));
}
