using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace MapServer.Api.Mcp;

/// <summary>
/// Wraps every resources/read: a URI that names no resource is refused with the URI in the error's data (SEP-2164),
/// so a client can tell which of its reads failed.
/// </summary>
public static class ResourceReadGuard
{
    public static McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> Wrap(McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            catch (McpProtocolException ex) when (ex.ErrorCode is McpErrorCode.InvalidParams or McpErrorCode.ResourceNotFound)
            {
                ex.Data["uri"] = context.Params?.Uri;
                throw;
            }
        };
}
