"""Time for a viewer to get a session's snapshot, then its layer data (as a browser would: gzip accepted).

    python3 snapshot_time.py PORT SESSION
Prints: snapshot_ms=... snapshot_bytes=... data_ms=... data_gzip_bytes=... (best of 5 fresh connections).
"""
import http.client, json, sys, time

port, session = int(sys.argv[1]), sys.argv[2]


def snapshot():
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    start = time.perf_counter()
    conn.request("GET", f"/events?session={session}", headers={"Accept": "text/event-stream"})
    stream = conn.getresponse()
    while not (line := stream.readline()).startswith(b"data:"):
        pass
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return elapsed, line


def data(url):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    start = time.perf_counter()
    conn.request("GET", url, headers={"Accept-Encoding": "gzip"})
    body = conn.getresponse().read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return elapsed, len(body)


snapshots = [snapshot() for _ in range(5)]
line = snapshots[-1][1]
layers = json.loads(line[5:])["layers"]
url = next(layer["source"]["data"] for layer in layers.values() if isinstance(layer["source"].get("data"), str))
downloads = [data(url) for _ in range(5)]
print(f"snapshot_ms={min(s[0] for s in snapshots):.2f} snapshot_bytes={len(line) - 5} "
      f"data_ms={min(d[0] for d in downloads):.1f} data_gzip_bytes={downloads[0][1]}")
