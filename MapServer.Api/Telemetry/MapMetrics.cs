using System.Diagnostics.Metrics;

namespace MapServer.Api.Telemetry;

/// <summary>The api's own meters, exported at /metrics as mapserver_*.</summary>
public sealed class MapMetrics
{
    public const string MeterName = "MapServer";

    /// <summary>Bucket bounds for durations in seconds, 1 ms to 10 s (the exporter's defaults are meant for milliseconds).</summary>
    private static readonly InstrumentAdvice<double> Seconds = new() { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] };

    private readonly Counter<long> _changesApplied;
    private readonly Counter<long> _versionConflicts;
    private readonly Counter<long> _rejectedChanges;
    private readonly UpDownCounter<long> _viewers;
    private readonly Counter<long> _slowViewersDropped;
    private readonly Histogram<double> _toolCalls;
    private readonly Counter<long> _eventsDelivered;
    private readonly Counter<long> _storageReconnects;
    private readonly Counter<long> _storageFailures;
    private readonly Histogram<double> _storageCommits;
    private readonly Counter<long> _sessionsCreated;
    private readonly Counter<long> _rateLimited;
    private readonly Counter<long> _geocoderCalls;
    private readonly Counter<long> _filesImported;
    private readonly Counter<long> _featuresImported;

    public MapMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _changesApplied = meter.CreateCounter<long>("mapserver.changes.applied", "{change}", "Map changes applied, by operation.");
        _versionConflicts = meter.CreateCounter<long>("mapserver.changes.version_conflicts", "{conflict}", "Changes re-applied because another writer won the race.");
        _rejectedChanges = meter.CreateCounter<long>("mapserver.changes.rejected", "{change}", "Changes rejected as invalid.");
        _viewers = meter.CreateUpDownCounter<long>("mapserver.viewers.connected", "{viewer}", "SSE viewers connected to this replica.");
        _slowViewersDropped = meter.CreateCounter<long>("mapserver.viewers.dropped", "{viewer}", "Viewers dropped because their queue was full.");
        _toolCalls = meter.CreateHistogram("mapserver.tool.duration", "s", "MCP tool calls by tool and outcome (ok, rejected, invalid_arguments, storage_unavailable, failed), with their duration.", advice: Seconds);
        _eventsDelivered = meter.CreateCounter<long>("mapserver.events.delivered", "{event}", "Change events offered to viewers on this replica (one per viewer); a viewer whose queue is full is dropped instead (mapserver.viewers.dropped) and catches up on reconnect.");
        _storageReconnects = meter.CreateCounter<long>("mapserver.storage.reconnects", "{reconnect}", "Connections to Redis restored after a failure, by connection type.");
        _storageFailures = meter.CreateCounter<long>("mapserver.storage.failures", "{failure}", "Redis connection failures, by failure type.");
        _storageCommits = meter.CreateHistogram("mapserver.storage.commit.duration", "s", "Redis round trip of one committed batch of changes (the apply script), by outcome.", advice: Seconds);
        _sessionsCreated = meter.CreateCounter<long>("mapserver.sessions.created", "{session}", "Map sessions created on this replica.");
        _rateLimited = meter.CreateCounter<long>("mapserver.rate_limit.rejections", "{request}", "Requests and changes refused by a rate limit, by limit.");
        _filesImported = meter.CreateCounter<long>("mapserver.imports.files", "{file}", "Files converted into layers, by format.");
        _featuresImported = meter.CreateCounter<long>("mapserver.imports.features", "{feature}", "Features converted from imported files, by format.");
        _geocoderCalls = meter.CreateCounter<long>("mapserver.geocoder.calls", "{call}", "Calls for the online geocoder, by provider and outcome (answered, nothing_found, timeout, http_error, unreachable, malformed, too_large, rate_limited, paused); all but the first two answer offline.");
    }

    public void ChangeApplied(string operation) => _changesApplied.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void VersionConflict() => _versionConflicts.Add(1);

    public void ChangeRejected(string operation) => _rejectedChanges.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void ViewerConnected() => _viewers.Add(1);

    public void ViewerDisconnected() => _viewers.Add(-1);

    public void SlowViewerDropped() => _slowViewersDropped.Add(1);

    public void ToolCalled(string tool, string outcome, TimeSpan duration) =>
        _toolCalls.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("tool", tool), new KeyValuePair<string, object?>("outcome", outcome));

    public void EventsDelivered(int viewers) => _eventsDelivered.Add(viewers);

    public void StorageReconnected(string connection) => _storageReconnects.Add(1, new KeyValuePair<string, object?>("connection", connection));

    public void StorageFailed(string failure) => _storageFailures.Add(1, new KeyValuePair<string, object?>("failure", failure));

    public void StorageCommitted(string outcome, TimeSpan duration) => _storageCommits.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void SessionCreated() => _sessionsCreated.Add(1);

    public void RateLimited(string limit) => _rateLimited.Add(1, new KeyValuePair<string, object?>("limit", limit));

    public void GeocoderAsked(string provider, string outcome) =>
        _geocoderCalls.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("outcome", outcome));

    public void FileImported(string format, int features)
    {
        var tag = new KeyValuePair<string, object?>("format", format.ToLowerInvariant());
        _filesImported.Add(1, tag);
        _featuresImported.Add(features, tag);
    }
}
