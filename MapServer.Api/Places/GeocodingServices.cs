using System.Net;
using MapServer.Api.Mcp;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace MapServer.Api.Places;

/// <summary>The offline gazetteer and the optional online geocoder that geocode and reverse_geocode ask first.</summary>
public static class GeocodingServices
{
    public static void AddGeocoding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Gazetteer>();
        builder.Services.AddOptions<GeocodingOptions>().Bind(builder.Configuration.GetSection(GeocodingOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GeocodingOptions>, GeocodingOptionsValidator>();
        builder.Services.AddSingleton<OnlineGeocoderGate>();
        var client = builder.Services.AddHttpClient<OnlineGeocoder>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<GeocodingOptions>>().Value;
                if (options.Provider == GeocodingProvider.None)
                {
                    return; // never used
                }

                http.Timeout = options.Timeout + TimeSpan.FromSeconds(1); // a backstop: every call cancels itself at the timeout
                http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.UserAgent.Trim());
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AutomaticDecompression = DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5), // follows DNS changes
                MaxAutomaticRedirections = 3,
            });

        // Not the service defaults' standard resilience (3 retries, 30 s in all): a public geocoder allows about one request
        // a second and a failure answers offline at once, so no retry at all. OnlineGeocoder bounds each call and leaves
        // the provider alone after a failure. (Experimental in Microsoft.Extensions.Http.Resilience 10.)
#pragma warning disable EXTEXP0001
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // With a provider, the tools' descriptions say where answers come from, and they reach out to the open world.
        builder.Services.AddOptions<McpServerOptions>().PostConfigure<IOptions<GeocodingOptions>>((mcp, geocoding) =>
        {
            var provider = geocoding.Value.Provider;
            if (provider == GeocodingProvider.None || mcp.ToolCollection is not { } tools)
            {
                return;
            }

            foreach (var tool in tools)
            {
                var description = tool.ProtocolTool.Name switch
                {
                    PlaceTools.GeocodeName => PlaceTools.OnlineGeocodeDescription(provider),
                    PlaceTools.ReverseGeocodeName => PlaceTools.OnlineReverseGeocodeDescription(provider),
                    _ => null,
                };
                if (description is not null)
                {
                    tool.ProtocolTool.Description = description;
                    tool.ProtocolTool.Annotations ??= new();
                    tool.ProtocolTool.Annotations.OpenWorldHint = true;
                }
            }
        });
    }
}
