using System.Text;

namespace MapServer.Tests.Reliability.Fuzzing;

/// <summary>
/// Sends <see cref="FuzzRequest"/>s as they are (headers unvalidated, bodies as raw bytes) and reads what
/// comes back within <see cref="FuzzSettings.CaseTimeout"/>; an endless SSE answer is read up to its headers.
/// </summary>
public sealed class FuzzClient : IDisposable
{
    private readonly HttpClient _http;

    public FuzzClient(Uri baseAddress) =>
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            MaxConnectionsPerServer = 64,
            RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8, // lets non-ASCII header values through to Kestrel
        })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public async Task<FuzzResponse> SendAsync(FuzzRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FuzzSettings.CaseTimeout);
        using var message = ToMessage(request);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var stream = response.Content.Headers.ContentType?.MediaType == "text/event-stream" && (request.Streams || request.Method != "POST");
            var body = stream ? "" : await response.Content.ReadAsStringAsync(timeout.Token);
            return new FuzzResponse((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FuzzResponse(0, "", TimedOut: true);
        }
        catch (HttpRequestException ex)
        {
            return new FuzzResponse(0, "", TransportError: $"{ex.HttpRequestError}: {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    private HttpRequestMessage ToMessage(FuzzRequest request)
    {
        // Appended to the origin as it is: a path such as "//x" stays a path instead of naming another host.
        var uri = new Uri(_http.BaseAddress!.GetLeftPart(UriPartial.Authority) + request.Path);
        var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    public void Dispose() => _http.Dispose();
}
