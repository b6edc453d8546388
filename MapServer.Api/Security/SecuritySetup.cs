namespace MapServer.Api.Security;

/// <summary>The authentication mode the api runs in, and why it must not start when the configuration is wrong.</summary>
public sealed record SecuritySetup(AuthMode Mode, string? Problem)
{
    /// <summary>Whether any proxy is trusted to forward client address, scheme and host (MapServer:Proxy).</summary>
    public bool TrustsProxies { get; init; }

    /// <summary>Authorization policy of <c>/mcp</c> and session creation: a principal when auth is on, anyone otherwise.</summary>
    public const string PrincipalPolicy = "map-principal";

    public bool IsOn => Mode is AuthMode.ApiKey or AuthMode.OAuth;

    public static SecuritySetup Read(IConfiguration configuration, IHostEnvironment environment, AuthOptions options)
    {
        var raw = configuration[AuthOptions.ModeKey];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return new(AuthMode.None, environment.IsProduction()
                ? $"Refusing to start: authentication is not configured. Set {AuthOptions.ModeKey} (environment variable MapServer__Auth__Mode) to ApiKey, OAuth or None; None lets anyone who reaches /mcp create and drive maps."
                : null);
        }

        if (!Enum.TryParse<AuthMode>(raw, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || char.IsDigit(raw.Trim()[0]))
        {
            return new(AuthMode.None, $"Refusing to start: {AuthOptions.ModeKey} is '{raw}'; use ApiKey, OAuth or None.");
        }

        if (mode == AuthMode.OAuth && string.IsNullOrWhiteSpace(options.OAuth.Authority))
        {
            return new(mode, $"Refusing to start: {AuthOptions.Section}:Mode is OAuth but {AuthOptions.Section}:OAuth:Authority (the token issuer's URL) is not set.");
        }

        return new(mode, null);
    }
}
