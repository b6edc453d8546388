using System.Text.Json;
using System.Text.Json.Serialization;

namespace MapServer.Api.Maps.Operations;

/// <summary>
/// One change to a map session, and everything about it in one place: how it applies (<see cref="ApplyTo"/>, called
/// only by <see cref="MapReducer"/>), how history and viewers describe it, which style sources it brings (checked by
/// the source URL rules) and which GeoJSON it carries (stored beside the state before it is applied).
/// </summary>
/// <remarks>A new operation is a file in this folder deriving from this type; tools build it, nothing else changes.</remarks>
public abstract record MapOperation
{
    /// <summary>The operation's name as it appears in events and history: the tool that makes it.</summary>
    [JsonIgnore]
    public abstract string Name { get; }

    /// <summary>
    /// Applies only to the map at this version (optimistic concurrency): the reducer refuses it on any other
    /// state, also when the store re-applies it after losing a race. Null = apply to whatever is current.
    /// </summary>
    [JsonIgnore]
    public long? IfVersion { get; init; }

    /// <summary>The version of the change this operation undoes or redoes (its event's target), if it is a history step.</summary>
    [JsonIgnore]
    public virtual long? TargetVersion => null;

    /// <summary>A short human summary for history and viewers.</summary>
    public abstract string Describe();

    /// <summary>The style sources this operation adds to the map, as the reducer will read them.</summary>
    public virtual IEnumerable<JsonElement> Sources() => [];

    /// <summary>This operation with the inline GeoJSON of its sources stored by <paramref name="store"/> and referenced by URL.</summary>
    public virtual Task<MapOperation> WithStoredDataAsync(SourceDataStore store) => Task.FromResult(this);

    /// <summary>
    /// The map after this operation, its version unchanged (the reducer moves it). Pure: an invalid operation throws
    /// <see cref="MapOperationException"/> and changes nothing.
    /// </summary>
    internal abstract MapState ApplyTo(MapState state);
}
