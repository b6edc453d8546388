namespace MapServer.Api.Importing;

/// <summary>A file to import: its name as the person or client gave it, its bytes, and the optional layer id and title.</summary>
public sealed record FileUpload(string FileName, Stream Content, string? LayerId = null, string? Title = null);
