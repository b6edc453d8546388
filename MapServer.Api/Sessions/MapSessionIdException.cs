namespace MapServer.Api.Sessions;

/// <summary>A session id that is not one (malformed, or a view link's token): the message says which id to use instead.</summary>
public sealed class MapSessionIdException(string message) : Exception(message);
