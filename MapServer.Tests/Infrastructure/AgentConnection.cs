using ModelContextProtocol.Client;

namespace MapServer.Tests.Infrastructure;

/// <summary>
/// A real MCP client connected as agents connect: it lists the tools first, which also tells a client speaking the
/// 2026-07-28 header mapping that session_id travels as the Mcp-Param-Session-Id header (the server refuses a call
/// whose header is missing or differs).
/// </summary>
public static class AgentConnection
{
    public static async Task<McpClient> ConnectAsync(HttpClientTransportOptions transport, CancellationToken cancellationToken)
    {
        var client = await McpClient.CreateAsync(new HttpClientTransport(transport), cancellationToken: cancellationToken);
        try
        {
            await client.ListToolsAsync(cancellationToken: cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
