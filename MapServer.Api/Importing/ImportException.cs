namespace MapServer.Api.Importing;

/// <summary>A file that cannot be imported: <see cref="Exception.Message"/> says what is wrong, <see cref="Hint"/> what to do instead.</summary>
public sealed class ImportException(string message, string hint, ImportProblem problem = ImportProblem.BadFile) : Exception(message)
{
    public string Hint { get; } = hint;

    public ImportProblem Problem { get; } = problem;
}
