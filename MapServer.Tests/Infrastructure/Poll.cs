using System.Diagnostics;

namespace MapServer.Tests.Infrastructure;

/// <summary>Waiting for something another task or process makes true.</summary>
public static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds; fails with <paramref name="failure"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(started) < timeout, failure);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
