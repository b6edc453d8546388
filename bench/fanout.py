"""Fan-out: N SSE viewers on one server, one change; time from the trigger to each viewer reading it.

    python3 fanout.py PORT EVENTS_PATH TRIGGER VIEWERS IDLE_S PID
      EVENTS_PATH  e.g. "/events?session=<id>" (the api) or "/events" (the bare broadcaster)
      TRIGGER      "mcp:<session>" (POST /mcp tools/call set_map_view) or "publish" (POST /publish)
      IDLE_S       seconds the connected viewers sit idle while the server's CPU is sampled
      PID          the server's process id, for VmRSS and utime+stime from /proc

Viewers connect in batches; a viewer counts as connected once it has read its first event (the
`snapshot`: the server has subscribed it). Then one warm-up change (first-use costs: JIT, buffers), 3 s
to settle (its CPU is printed as settle_cpu_pct), the idle window (idle_cpu_pct) and the measured change.
CPU figures are percent of one core. Prints one line of key=value figures. Every wait is bounded.
"""
import asyncio, os, sys, time

port, events_path, trigger, count, idle_s, pid = (
    int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6]))
BATCH, BATCH_TIMEOUT_S, CONNECT_BUDGET_S, DELIVERY_TIMEOUT_S, SETTLE_S = 250, 10.0, 60.0, 15.0, 3.0
REQUEST = f"GET {events_path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
VIEWERS = []


def rss_kb():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def cpu_ticks():
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15 of the whole line)


class Viewer(asyncio.Protocol):
    """One SSE stream: notes when its first event arrives, then when an armed `change` event arrives."""
    armed, changed, expected = False, 0, 0
    all_changed = None

    def __init__(self, ready):
        self.ready, self.tail, self.changed_at = ready, b"", None
        VIEWERS.append(self)

    def connection_made(self, transport):
        transport.write(REQUEST)

    def data_received(self, data):
        now = time.perf_counter()
        text = self.tail + data
        self.tail = text[-32:]
        if not self.ready.done():
            if b"\r\n\r\n" in text and not text.startswith(b"HTTP/1.1 200"):
                self.ready.set_result(False)  # not a stream (404, 500...)
            elif b"event: " in text:
                self.ready.set_result(True)
        if Viewer.armed and self.changed_at is None and b"event: change" in text:
            self.changed_at = now
            Viewer.changed += 1
            if Viewer.changed >= Viewer.expected:
                Viewer.all_changed.set()

    def connection_lost(self, exc):
        if not self.ready.done():
            self.ready.set_result(False)


async def connect(loop):
    ready = loop.create_future()
    try:
        await loop.create_connection(lambda: Viewer(ready), "127.0.0.1", port)
    except OSError:
        if not ready.done():
            ready.set_result(False)
    return ready


async def post(path, body):
    """Sends one POST and reads its whole answer (closing early would cancel the tool call); returns the
    status line, plus the end of the answer when it reports an error."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                 f"Accept: application/json, text/event-stream\r\nConnection: close\r\n"
                 f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    await writer.drain()
    answer = (await asyncio.wait_for(reader.read(), DELIVERY_TIMEOUT_S)).decode(errors="replace")
    writer.close()
    status = answer.split("\r\n", 1)[0]
    return status if " 200 " in status and '"isError":true' not in answer else f"{status} {answer[-200:]!r}"


async def change(expected, zoom):
    """Triggers one change; returns (trigger status, sorted latencies in ms of the viewers that read it)."""
    for viewer in VIEWERS:
        viewer.changed_at, viewer.tail = None, b""
    Viewer.all_changed, Viewer.changed, Viewer.expected, Viewer.armed = asyncio.Event(), 0, expected, True
    if trigger.startswith("mcp:"):
        path = "/mcp"
        body = ('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"set_map_view",'
                f'"arguments":{{"session_id":"{trigger[4:]}","zoom":{zoom}}}}}}}').encode()
    else:
        path, body = "/publish", b""
    t0 = time.perf_counter()
    status = await post(path, body)
    try:
        await asyncio.wait_for(Viewer.all_changed.wait(), DELIVERY_TIMEOUT_S)
    except asyncio.TimeoutError:
        pass
    Viewer.armed = False
    return status, sorted((v.changed_at - t0) * 1000 for v in VIEWERS if v.changed_at is not None)


async def main():
    loop = asyncio.get_running_loop()
    rss_before = rss_kb()
    connected, failed, start = 0, 0, time.monotonic()
    while connected + failed < count and time.monotonic() - start < CONNECT_BUDGET_S:
        batch = await asyncio.gather(*(connect(loop) for _ in range(min(BATCH, count - connected - failed))))
        done, _ = await asyncio.wait(batch, timeout=BATCH_TIMEOUT_S)
        ok = sum(1 for ready in batch if ready in done and ready.result())
        connected, failed = connected + ok, failed + len(batch) - ok
        if failed > count // 10:
            break  # the server refuses streams: stop early, report what connected
    connect_s = time.monotonic() - start

    _, warm = await change(connected, 3.5)
    ticks0, t_settle = cpu_ticks(), time.monotonic()
    await asyncio.sleep(SETTLE_S)  # the tail of the connection burst and of the first change (GC, tiered JIT)
    settle_cpu = (cpu_ticks() - ticks0) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - t_settle) * 100
    rss_with = rss_kb()
    ticks0, t_idle = cpu_ticks(), time.monotonic()
    await asyncio.sleep(idle_s)
    idle_cpu = (cpu_ticks() - ticks0) / os.sysconf("SC_CLK_TCK") / (time.monotonic() - t_idle) * 100

    status, lat = await change(connected, 7.5)
    pct = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] if lat else float("nan")
    print(f"viewers={connected}/{count} connect_s={connect_s:.1f} warmup_delivered={len(warm)} trigger=\"{status}\" "
          f"delivered={len(lat)} min_ms={pct(0):.1f} p50_ms={pct(0.50):.1f} p99_ms={pct(0.99):.1f} "
          f"max_ms={pct(1.0):.1f} rss_before_mb={rss_before / 1024:.1f} rss_viewers_mb={rss_with / 1024:.1f} "
          f"rss_per_viewer_kb={(rss_with - rss_before) / max(connected, 1):.1f} "
          f"settle_cpu_pct={settle_cpu:.1f} idle_cpu_pct={idle_cpu:.1f} idle_s={idle_s:g}")


asyncio.run(main())
