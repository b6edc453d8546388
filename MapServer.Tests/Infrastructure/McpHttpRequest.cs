using System.Net.Http.Headers;
using System.Text;

namespace MapServer.Tests.Infrastructure;

/// <summary>One raw stateless JSON-RPC POST to /mcp, as a Streamable HTTP client sends it (accepting JSON and SSE).</summary>
public static class McpHttpRequest
{
    public const string Ping = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";

    public const string ToolsList = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";

    public const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    /// <summary>The request, with <c>Authorization: Bearer</c> when given a key or token.</summary>
    public static HttpRequestMessage Create(string json, string? bearer = null, string path = "/mcp")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
            Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json"), new MediaTypeWithQualityHeaderValue("text/event-stream") } },
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }
}
