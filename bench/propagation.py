"""Propagation latency: tool call accepted by replica A -> change event read by an SSE client on replica B."""
import http.client, json, sys, time, threading, statistics

a_port, b_port, session, count, rate = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
sent = {}
received = {}

def viewer():
    conn = http.client.HTTPConnection("127.0.0.1", b_port)
    conn.request("GET", f"/events?session={session}")
    stream = conn.getresponse()
    event = None
    while len(received) < count:
        line = stream.readline().decode().rstrip("\n")
        if line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:") and event == "change":
            received[json.loads(line[5:])["version"]] = time.perf_counter()

threading.Thread(target=viewer, daemon=True).start()
time.sleep(1)
agent = http.client.HTTPConnection("127.0.0.1", a_port)
headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
interval = 1.0 / rate
start = time.perf_counter()
for i in range(count):
    time.sleep(max(0, start + i * interval - time.perf_counter()))
    body = json.dumps({"jsonrpc": "2.0", "id": i, "method": "tools/call",
                       "params": {"name": "set_map_view", "arguments": {"session_id": session, "zoom": (i % 200) / 10}}})
    t0 = time.perf_counter()
    agent.request("POST", "/mcp", body, headers)
    reply = agent.getresponse().read().decode()
    version = json.loads(reply.split("data: ", 1)[1])["result"]["structuredContent"]["version"]
    sent[version] = t0
deadline = time.time() + 10
while len(received) < count and time.time() < deadline:
    time.sleep(0.01)
lat = sorted((received[v] - sent[v]) * 1000 for v in sent if v in received)
print(f"changes={count} received={len(lat)} p50_ms={statistics.median(lat):.2f} p99_ms={lat[int(len(lat) * 0.99) - 1]:.2f} (rate {rate:.0f}/s, call start -> event read)")
