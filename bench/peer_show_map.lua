-- wrk: tools/call show-map on the peer (@modelcontextprotocol/server-map, stateless Streamable HTTP:
-- one JSON-RPC POST per request, no initialize, no Mcp-Session-Id), the same way set_map_view.lua drives ours.
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"

request = function()
  counter = counter + 1
  local west = -10 + (counter % 200) / 10
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"show-map","arguments":{"west":%.1f,"south":40.0,"east":%.1f,"north":41.0,"label":"bench"}}}',
    counter, west, west + 1)
  return wrk.format(nil, "/mcp", nil, body)
end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"isError":true', 1, true) or string.find(body, '"error":', 1, true) then errors = errors + 1 end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("calls=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, errors + e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
