namespace MapServer.Api.Maps;

/// <summary>A change that cannot be applied; the message says what to do instead. Nothing was changed.</summary>
public class MapOperationException(string message) : Exception(message);
