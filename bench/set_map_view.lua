-- wrk: tools/call set_map_view as one stateless JSON-RPC POST per request (no initialize needed).
-- SESSIONS (env, comma-separated) are the session ids to spread the calls over.
local sessions = {}
for id in string.gmatch(os.getenv("SESSIONS") or "", "[^,]+") do sessions[#sessions + 1] = id end
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
-- AUTHORIZATION (env): e.g. "Bearer msk_..." when the api runs with MapServer:Auth:Mode=ApiKey.
if os.getenv("AUTHORIZATION") then wrk.headers["Authorization"] = os.getenv("AUTHORIZATION") end

request = function()
  counter = counter + 1
  local session = sessions[(counter % #sessions) + 1]
  local zoom = (counter % 200) / 10
  local body = string.format(
    '{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"set_map_view","arguments":{"session_id":"%s","zoom":%.1f}}}',
    counter, session, zoom)
  return wrk.format(nil, "/mcp", nil, body)
end

-- DELAY_MS (env) paces each connection, for latency at a fixed rate below saturation.
local pause = tonumber(os.getenv("DELAY_MS") or "0")
delay = function() return pause end

local errors = 0
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"isError":true', 1, true) then errors = errors + 1 end
end

done = function(summary, latency, requests)
  io.write(string.format("calls=%d errors=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, errors, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
