namespace MapServer.Api.Places;

/// <summary>
/// What the online geocoder answered: the places it found (best or closest first), or why it gave no answer
/// (<see cref="Failure"/>, a phrase after the provider's name, e.g. "did not answer within 3 s").
/// </summary>
public sealed record OnlineAnswer(IReadOnlyList<OnlinePlace> Places, string? Failure)
{
    /// <summary>The credit every online answer carries.</summary>
    public const string Attribution = "Data © OpenStreetMap contributors, ODbL 1.0, https://www.openstreetmap.org/copyright";

    public static OnlineAnswer Failed(string failure) => new([], failure);
}
