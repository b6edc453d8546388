"""get_map_image figures over MCP (raw JSON-RPC on keep-alive), as an agent calls it.

    python3 map_image.py API_PORT SESSION COUNT
Per case prints: case p50_ms p99_ms bytes. Cases: "first" (the first image: a tab opens and loads the basemap and
layer), "fresh" (each later image after a change of the map: the renderer draws it), "cached" (the same image again:
the api's cache answers).
"""
import http.client, json, sys, time

port, session, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


def call(name, arguments):
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name, "arguments": arguments}})
    start = time.perf_counter()
    conn.request("POST", "/mcp", body, HEADERS)
    response = conn.getresponse().read()
    elapsed = (time.perf_counter() - start) * 1000
    text = response.decode()
    payload = json.loads(text[text.index("{"):] if text.startswith("event:") or text.startswith("data:") else text)
    result = payload["result"]
    if result.get("isError"):
        raise SystemExit(f"{name} failed: {result['content'][0]['text']}")
    return elapsed, result


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


image = {"session_id": session, "width": 800, "height": 600}
fresh, cached, size = [], [], 0
for i in range(count):
    call("set_map_view", {"session_id": session, "center": [2.35 + i * 0.5, 30], "zoom": 2})  # a new version: a new image
    elapsed, result = call("get_map_image", image)
    fresh.append(elapsed)
    size = len(next(c["data"] for c in result["content"] if c["type"] == "image")) * 3 // 4
for _ in range(count):
    cached.append(call("get_map_image", image)[0])
warm = fresh[1:]  # the first image also opens a tab and loads the basemap and the layer into it
print(f"first {fresh[0]:.0f} {fresh[0]:.0f} {size}")
print(f"fresh {percentile(warm, 50):.0f} {percentile(warm, 99):.0f} {size}")
print(f"cached {percentile(cached, 50):.1f} {percentile(cached, 99):.1f} {size}")
