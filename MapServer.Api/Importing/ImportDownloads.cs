using System.Net;
using System.Net.Sockets;
using MapServer.Api.Maps;
using MapServer.Api.Security;
using Microsoft.Extensions.Options;

namespace MapServer.Api.Importing;

/// <summary>
/// Fetches a file an MCP client names by URL (import_file's url) for conversion. The URL must pass the source rules
/// (https, no credentials, the operator's allowed hosts), and every connection, redirects included, is checked at
/// the address actually connected to: loopback, private and link-local addresses are refused unless the operator
/// allows private hosts, so a DNS name that resolves inward cannot reach the cluster (SSRF).
/// </summary>
public sealed class ImportDownloads(IHttpClientFactory clients, SourceUrlRules rules, IOptions<ImportOptions> options)
{
    public const string HttpClientName = "imports";

    /// <summary>The handler for <see cref="HttpClientName"/>: connects only to public addresses unless <paramref name="allowPrivate"/>.</summary>
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 3,
        AutomaticDecompression = DecompressionMethods.None, // a compressed body would slip past the size limit
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = addresses.Where(a => allowPrivate || !SourceUrlRules.IsPrivate(a)).ToArray();
            if (allowed.Length == 0)
            {
                throw new HttpRequestException($"'{context.DnsEndPoint.Host}' resolves only to private, loopback or link-local addresses, which this server does not fetch from.");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>The response body to convert, and the file name the URL gives (its last path segment).</summary>
    public async Task<(Stream Body, string FileName, IDisposable Response)> OpenAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            rules.Check(url);
        }
        catch (MapOperationException ex)
        {
            throw new ImportException(ex.Message, "Upload the file itself (content_base64, or drop it on the viewer), or give a public https URL.");
        }

        var client = clients.CreateClient(HttpClientName);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Value.FetchTimeout);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ImportException(
                $"could not fetch '{url}': {(ex is OperationCanceledException ? $"no answer within {options.Value.FetchTimeout.TotalSeconds:0} s" : ex.InnerException?.Message ?? ex.Message)}.",
                "Check that the URL is public and answers, or upload the file itself.");
        }

        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new ImportException($"fetching '{url}' answered HTTP {(int)response.StatusCode}.", "Check the URL (a direct link to the file, not a page about it), or upload the file itself.");
        }

        if (response.Content.Headers.ContentLength > options.Value.MaxFileBytes)
        {
            response.Dispose();
            throw FileConverter.TooLarge(url, options.Value.MaxFileBytes);
        }

        var fileName = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Uri.UnescapeDataString(uri.Segments[^1]) : "";
        return (await response.Content.ReadAsStreamAsync(cancellationToken), fileName, response);
    }
}
