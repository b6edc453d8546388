namespace MapServer.Tests.Reliability;

/// <summary>
/// Fault tests assert time bounds (a call fails within the storage timeout, /health answers within a second):
/// they run alone, not beside other tests competing for the machine's two cores.
/// </summary>
[CollectionDefinition(nameof(FaultCollection), DisableParallelization = true)]
public sealed class FaultCollection;
