using MapServer.Api.Security;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Importing;

/// <summary>File imports: the converter (one per replica: it bounds concurrent conversions), the session-level import, URL fetching.</summary>
public static class ImportServices
{
    public static void AddFileImports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().Bind(builder.Configuration.GetSection(ImportOptions.Section));
        builder.Services.AddSingleton<FileConverter>();
        builder.Services.AddScoped<FileImports>();
        builder.Services.AddScoped<ImportDownloads>();
        // Without the default retries and 10 s attempt timeout (ImportOptions.FetchTimeout bounds a fetch); connections only to public addresses.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked for evaluation; it is the documented way to opt one client out.
        builder.Services.AddHttpClient(ImportDownloads.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services => ImportDownloads.Handler(services.GetRequiredService<IOptions<SourceUrlOptions>>().Value.AllowPrivateHosts))
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
