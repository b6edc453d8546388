"""Churn: viewers connecting and disconnecting, sessions created, changed and left to expire, for a while;
the api's memory must not grow with the time it has run.

    python3 churn.py PORT SECONDS PID
      PORT     an api replica (run with a short MapServer__SessionTtl so sessions expire within the run)
      SECONDS  how long to churn
      PID      the api's process id, for VmRSS from /proc

Each round (about every 200 ms): create a session, open 20 SSE viewers on it (each reads its snapshot),
make 5 changes, close the viewers. Every 30 s it samples VmRSS and the GC heap after the last collection
(`dotnet_gc_last_collection_heap_size_bytes` from /metrics) and prints one line; at the end, the first
and last samples and their ratio. Every wait is bounded.
"""
import asyncio, http.client, json, re, sys, time

port, seconds, pid = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
VIEWERS_PER_ROUND, CHANGES_PER_ROUND, SAMPLE_EVERY_S, TIMEOUT_S = 20, 5, 30.0, 10.0


def rss_mb():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def request_sync(method, path, body=b""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        conn.request(method, path, body, {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


async def request(method, path, body=b""):
    """One HTTP/1.1 request on its own connection (http.client, off the event loop); returns (status, body)."""
    return await asyncio.to_thread(request_sync, method, path, body)


async def viewer(session, opened, close):
    """An SSE viewer: connects, reads up to its snapshot, stays until told to close."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(f"GET /events?session={session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
        seen = b""
        while b"event: snapshot" not in seen:
            chunk = await asyncio.wait_for(reader.read(65536), TIMEOUT_S)
            if not chunk:
                raise ConnectionError("stream closed before its snapshot")
            seen += chunk
        opened.release()
        await close.wait()
    finally:
        writer.close()


async def metric(name):
    """The sum of a /metrics series over its labels (the GC heap is reported per generation), in MB."""
    status, payload = await request("GET", "/metrics")
    values = re.findall(rf"^{name}(?:{{[^}}]*}})? ([0-9.e+]+)$", payload.decode(errors="replace"), re.M)
    return sum(float(value) for value in values) / 2**20 if status == 200 and values else float("nan")


async def round_trip(number):
    status, payload = await request("POST", "/sessions")
    session = json.loads(payload)["sessionId"]
    opened, close = asyncio.Semaphore(0), asyncio.Event()
    viewers = [asyncio.create_task(viewer(session, opened, close)) for _ in range(VIEWERS_PER_ROUND)]
    for _ in range(VIEWERS_PER_ROUND):
        await asyncio.wait_for(opened.acquire(), TIMEOUT_S)
    for i in range(CHANGES_PER_ROUND):
        call = {"jsonrpc": "2.0", "id": i, "method": "tools/call",
                "params": {"name": "set_map_view", "arguments": {"session_id": session, "zoom": (number + i) % 20}}}
        status, _ = await request("POST", "/mcp", json.dumps(call).encode())
        if status != 200:
            raise RuntimeError(f"set_map_view answered {status}")
    close.set()
    await asyncio.gather(*viewers)


async def main():
    samples, start, rounds, errors = [], time.monotonic(), 0, 0
    next_sample = start
    while time.monotonic() - start < seconds:
        if time.monotonic() >= next_sample:
            samples.append((time.monotonic() - start, rss_mb(), await metric("dotnet_gc_last_collection_heap_size_bytes")))
            print(f"t={samples[-1][0]:.0f}s rounds={rounds} rss_mb={samples[-1][1]:.0f} gc_heap_mb={samples[-1][2]:.1f}", flush=True)
            next_sample += SAMPLE_EVERY_S
        try:
            await asyncio.wait_for(round_trip(rounds), 4 * TIMEOUT_S)
        except Exception as error:  # counted and shown, never hangs the run
            errors += 1
            if errors <= 3:
                print(f"round {rounds} failed: {error!r}", flush=True)
        rounds += 1
        await asyncio.sleep(0.2)
    samples.append((time.monotonic() - start, rss_mb(), await metric("dotnet_gc_last_collection_heap_size_bytes")))
    first, last = samples[1] if len(samples) > 2 else samples[0], samples[-1]  # the first sample after warm-up
    print(f"churn: seconds={seconds:.0f} rounds={rounds} errors={errors} viewers={rounds * VIEWERS_PER_ROUND} "
          f"rss_mb_first={first[1]:.0f} rss_mb_last={last[1]:.0f} rss_mb_max={max(s[1] for s in samples):.0f} "
          f"gc_heap_mb_first={first[2]:.1f} gc_heap_mb_last={last[2]:.1f} growth={last[1] / first[1]:.2f}x")


asyncio.run(main())
