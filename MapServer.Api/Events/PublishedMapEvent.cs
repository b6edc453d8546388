namespace MapServer.Api.Events;

/// <summary>An event as published: its version and its JSON, serialized once for every viewer.</summary>
public sealed record PublishedMapEvent(long Version, string Json);
