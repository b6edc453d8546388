"""Writes a CSV of MB megabytes (points across Europe: id, name, lon, lat, value, category, date), imports it RUNS
times into fresh sessions of the api, sampling the api's RSS every 20 ms, then times set_map_view on a map holding
it against an empty map. Usage: import_csv.py WORK API_PORT API_PID MB RUNS REDIS_PORT"""
import json, os, random, statistics, subprocess, sys, threading, time, urllib.request

work, port, pid, megabytes, runs, redis_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
base = f"http://127.0.0.1:{port}"

path = os.path.join(work, "points.csv")
random.seed(7)
categories = ["school", "clinic", "park", "station", "library", "market"]
rows = 0
with open(path, "w") as f:
    f.write("id,name,lon,lat,value,category,date\n")
    while f.tell() < megabytes * 1_000_000:
        rows += 1
        f.write(f"{rows},Place {rows},{random.uniform(-10, 30):.6f},{random.uniform(35, 60):.6f},{random.uniform(0, 1000):.2f},"
                f"{random.choice(categories)},2026-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}\n")
size = os.path.getsize(path)

def rss_mb():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

def post(url, body=None, data_file=None):
    data = open(data_file, "rb").read() if data_file else (json.dumps(body).encode() if body is not None else b"")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
    with urllib.request.urlopen(request, timeout=600) as response:
        text = response.read().decode()
    return json.loads(text[text.index("{"):]) if "{" in text else None

def mcp(name, arguments):
    return post(f"{base}/mcp", {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name, "arguments": arguments}})["result"]

def session():
    return mcp("create_map_session", {})["structuredContent"]["session_id"]

print(f"CSV: {size / 1e6:.1f} MB, {rows:,} rows")
time.sleep(2)
idle = rss_mb()
print(f"api idle RSS: {idle:.0f} MB")
print("run seconds peak_rss_mb above_idle_mb rss_after_mb features geojson_mb stored_gzip_mb")
held = None
for run in range(1, runs + 1):
    sid = session()
    peak, done = [rss_mb()], threading.Event()
    def sample():
        while not done.is_set():
            peak.append(rss_mb())
            time.sleep(0.02)
    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    with open(path, "rb") as body:
        request = urllib.request.Request(f"{base}/sessions/{sid}/imports?name=points.csv", data=body, method="POST",
                                         headers={"Content-Type": "application/octet-stream", "Content-Length": str(size)})
        with urllib.request.urlopen(request, timeout=600) as response:
            result = json.loads(response.read())
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    layer = result["layers"][0]
    stored = json.loads(subprocess.check_output(["redis-cli", "-p", redis_port, "GET", f"map_state:{sid}"]))["layers"][layer["layerId"]]["data"]
    gzip = int(subprocess.check_output(["redis-cli", "-p", redis_port, "STRLEN", f"{{map_state:{sid}}}:data:{stored['sha256']}"]))
    print(f"{run} {seconds:.1f} {max(peak):.0f} {max(peak) - idle:.0f} {rss_mb():.0f} {layer['features']:,} {stored['bytes'] / 1e6:.0f} {gzip / 1e6:.1f}", flush=True)
    held = sid

def view_ms(sid, count=40):
    times = []
    for i in range(count):
        started = time.perf_counter()
        mcp("set_map_view", {"session_id": sid, "center": [i % 10, 45], "zoom": 5})
        times.append((time.perf_counter() - started) * 1000)
        time.sleep(0.12)  # under the shipped per-caller limit of 10 MCP requests a second
    return statistics.median(times)

empty = session()
view_ms(empty, 10); view_ms(held, 10)  # warm both paths
print(f"set_map_view p50: empty map {view_ms(empty):.2f} ms, map holding the {size / 1e6:.0f} MB import {view_ms(held):.2f} ms")
