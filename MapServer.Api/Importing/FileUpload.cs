namespace MapServer.Api.Importing;

/// <summary>A file to import: its name as the person or client gave it, its bytes, the optional layer id and title, and the version it must find.</summary>
public sealed record FileUpload(string FileName, Stream Content, string? LayerId = null, string? Title = null, long? IfVersion = null);
