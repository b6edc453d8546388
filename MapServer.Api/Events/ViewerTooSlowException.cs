namespace MapServer.Api.Events;

/// <summary>The viewer's queue filled up; it must reconnect (with Last-Event-ID) to catch up.</summary>
public sealed class ViewerTooSlowException() : Exception("viewer fell too far behind");
