namespace MapServer.Api.Importing;

/// <summary>Why an import was refused, which the HTTP API answers with its status code.</summary>
public enum ImportProblem
{
    /// <summary>The file is damaged, not what it claims, or holds nothing to draw (400).</summary>
    BadFile,

    /// <summary>The file, its features or what it expands to is past a limit (413).</summary>
    TooLarge,

    /// <summary>Not a format this server reads (415).</summary>
    UnknownFormat,

    /// <summary>This replica is converting as many files as it may; try again shortly (429).</summary>
    Busy,
}
