using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.IdentityModel.Tokens;
using ModelContextProtocol.AspNetCore.Authentication;

namespace MapServer.Api.Security;

/// <summary>Authentication (none, API keys or OAuth), the principal policy, and forwarded headers from known proxies only.</summary>
public static class SecurityServices
{
    public static SecuritySetup AddMapServerSecurity(this IHostApplicationBuilder builder)
    {
        // With no known proxy the forwarded-headers middleware would believe every peer: it is then not used at all.
        var proxies = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded => TrustOnly(forwarded, proxies));
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var setup = SecuritySetup.Read(builder.Configuration, builder.Environment, options) with
        {
            TrustsProxies = Split(proxies.KnownNetworks).Length + Split(proxies.KnownProxies).Length > 0,
        };
        if (setup.Mode == AuthMode.ApiKey && setup.Problem is null)
        {
            try
            {
                builder.Services.AddSingleton(new ApiKeys(options.ApiKeys));
            }
            catch (InvalidOperationException ex)
            {
                setup = setup with { Problem = $"Refusing to start: {ex.Message}" };
            }
        }

        builder.Services.AddSingleton(setup);
        var authentication = builder.Services.AddAuthentication(auth =>
        {
            auth.DefaultScheme = setup.Mode switch
            {
                AuthMode.ApiKey => ApiKeyAuthenticationHandler.SchemeName,
                AuthMode.OAuth => JwtBearerDefaults.AuthenticationScheme,
                _ => null,
            };
            if (setup.Mode == AuthMode.OAuth)
            {
                auth.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
            }
        });

        if (setup.Mode == AuthMode.ApiKey)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        }
        else if (setup.Mode == AuthMode.OAuth && setup.Problem is null)
        {
            AddOAuth(builder.Services, authentication, options.OAuth, builder.Configuration["MapServer:PublicBaseUrl"]);
        }

        builder.Services.AddAuthorization(authorization => authorization.AddPolicy(SecuritySetup.PrincipalPolicy, policy =>
        {
            if (setup.IsOn)
            {
                policy.RequireAuthenticatedUser();
            }
            else
            {
                policy.RequireAssertion(_ => true);
            }
        }));

        return setup;
    }

    /// <summary>
    /// Access tokens for this resource: signature, issuer and lifetime from the authority's metadata, the audience
    /// being this server's /mcp URL (no token passthrough: tokens for other audiences are refused). The SDK's
    /// scheme answers challenges with the protected resource metadata and serves it.
    /// </summary>
    private static void AddOAuth(IServiceCollection services, AuthenticationBuilder authentication, OAuthResourceOptions oauth, string? publicBaseUrl)
    {
        // The resource URL: configured, else the public base URL's /mcp, else the URL this request came to
        // (scheme and host as the trusted proxy in front says).
        var configured = !string.IsNullOrWhiteSpace(oauth.Audience) ? oauth.Audience
            : !string.IsNullOrWhiteSpace(publicBaseUrl) ? $"{publicBaseUrl.TrimEnd('/')}/mcp"
            : null;
        static string FromRequest(HttpRequest request) => $"{request.Scheme}://{request.Host}/mcp";

        authentication
            .AddJwtBearer(jwt =>
            {
                jwt.Authority = oauth.Authority;
                jwt.RequireHttpsMetadata = oauth.RequireHttpsMetadata;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidAudience = configured,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
            })
            .AddMcp(mcp =>
            {
                mcp.ResourceMetadata = new()
                {
                    AuthorizationServers = [oauth.Authority],
                    ScopesSupported = [.. oauth.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
                    BearerMethodsSupported = ["header"],
                };
                mcp.Events.OnResourceMetadataRequest = context =>
                {
                    context.ResourceMetadata!.Resource = configured ?? FromRequest(context.HttpContext.Request);
                    return Task.CompletedTask;
                };
            });

        if (configured is null)
        {
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IHttpContextAccessor>((jwt, http) =>
                jwt.TokenValidationParameters.AudienceValidator = (audiences, _, _) =>
                    http.HttpContext is { } context && audiences.Contains(FromRequest(context.Request), StringComparer.Ordinal));
        }
    }

    private static void TrustOnly(ForwardedHeadersOptions forwarded, ProxyOptions proxies)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        forwarded.ForwardLimit = null; // ingress -> viewer -> api: walk back through every known proxy
        forwarded.KnownIPNetworks.Clear(); // the defaults trust loopback; only what is configured is trusted
        forwarded.KnownProxies.Clear();
        foreach (var network in Split(proxies.KnownNetworks))
        {
            forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        }

        foreach (var proxy in Split(proxies.KnownProxies))
        {
            forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        }
    }

    private static string[] Split(string list) => list.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
