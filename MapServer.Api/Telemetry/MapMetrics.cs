using System.Diagnostics.Metrics;

namespace MapServer.Api.Telemetry;

/// <summary>The api's own meters, exported at /metrics as mapserver_*.</summary>
public sealed class MapMetrics
{
    public const string MeterName = "MapServer";

    private readonly Counter<long> _changesApplied;
    private readonly Counter<long> _versionConflicts;
    private readonly Counter<long> _rejectedChanges;
    private readonly UpDownCounter<long> _viewers;
    private readonly Counter<long> _slowViewersDropped;

    public MapMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _changesApplied = meter.CreateCounter<long>("mapserver.changes.applied", "{change}", "Map changes applied, by operation.");
        _versionConflicts = meter.CreateCounter<long>("mapserver.changes.version_conflicts", "{conflict}", "Changes re-applied because another writer won the race.");
        _rejectedChanges = meter.CreateCounter<long>("mapserver.changes.rejected", "{change}", "Changes rejected as invalid.");
        _viewers = meter.CreateUpDownCounter<long>("mapserver.viewers.connected", "{viewer}", "SSE viewers connected to this replica.");
        _slowViewersDropped = meter.CreateCounter<long>("mapserver.viewers.dropped", "{viewer}", "Viewers dropped because their queue was full.");
    }

    public void ChangeApplied(string operation) => _changesApplied.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void VersionConflict() => _versionConflicts.Add(1);

    public void ChangeRejected(string operation) => _rejectedChanges.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void ViewerConnected() => _viewers.Add(1);

    public void ViewerDisconnected() => _viewers.Add(-1);

    public void SlowViewerDropped() => _slowViewersDropped.Add(1);
}
