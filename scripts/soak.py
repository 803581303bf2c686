"""The soak's load and its checks (see soak.sh). Standard library only; loopback only."""
import argparse, http.client, json, random, sqlite3, statistics, threading, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--pid", type=int, required=True)
p.add_argument("--seconds", type=float, required=True)
p.add_argument("--database", required=True)
p.add_argument("--admin", required=True)
p.add_argument("--key", action="append", default=[], help="datastream=api-key")
args = p.parse_args()

HOST = "127.0.0.1"
lock = threading.Lock()
latencies: dict[str, list[float]] = {}
errors: list[str] = []
stop = time.monotonic() + args.seconds


def call(route, method, path, body=None, headers=None, ok=(200,)):
    conn = http.client.HTTPConnection(HOST, args.port, timeout=60)
    start = time.monotonic()
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        status = response.status
    except Exception as error:  # a refused or dropped connection is an error of the soak
        status, data = 0, str(error).encode()
    finally:
        conn.close()
    elapsed = time.monotonic() - start
    with lock:
        latencies.setdefault(route, []).append(elapsed)
        if status not in ok:
            errors.append(f"{method} {path}: {status} {data[:200]!r}")
    return status, data


def rss_kib():
    with open(f"/proc/{args.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


PUBLIC = ["/", "/?lang=zh-Hans", "/inventory/2023", "/api/v1/inventories", "/api/v1/inventories/2023", "/api/v1/activities?year=2023",
          "/api/v1/activities?year=2022&format=csv&per_page=500", "/plans/helsinki-2035", "/indicators", "/targets", "/pathways",
          "/api/v1/pathways", "/monitoring", "/api/v1/monitoring/nowcast", "/api/v1/audit/head", "/factors",
          "/api/v1/monitoring/rollups?level=district&period=day&from=2026-10-01&to=2026-12-31"]


def reader(seed):
    r = random.Random(seed)
    while time.monotonic() < stop:
        path = r.choice(PUBLIC)
        call(path.split("?")[0] if "rollups" not in path else "/api/v1/monitoring/rollups", "GET", path)


def ingester(datastream, key, seed):
    """Back-fills days before the demo's history, out of order, some sent twice: late readings."""
    r = random.Random(seed)
    now = int(time.time()) // 900 * 900
    while time.monotonic() < stop:
        day = now - (40 + r.randrange(300)) * 86_400
        lines = ["datastream,time,value"] + [f"{datastream},{day + i * 900},{r.randrange(20, 400)}" for i in range(1, 97)]
        r.shuffle(lines[1:])
        call("POST /api/v1/readings", "POST", "/api/v1/readings?source=soak", body="\n".join(lines) + "\n",
             headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv"})


def editor():
    """Replaces one district's 2023 rows, recomputes and publishes, again and again."""
    n = 0
    headers = {"Authorization": f"Bearer {args.admin}"}
    while time.monotonic() < stop:
        n += 1
        csv = ("year,jurisdiction,gpc_ref,fuel,amount,unit,ad_quality,source\n"
               f"2023,Northbank,I.1.1,natural_gas,{1000 + n},TJ,H,soak upload {n}\n")
        call("POST /api/v1/activities", "POST", "/api/v1/activities?existing=replace&file=soak.csv", body=csv,
             headers=headers | {"Content-Type": "text/csv"}, ok=(200, 201))
        call("POST computation", "POST", "/api/v1/inventories/2023/computation", headers=headers, ok=(200, 201))
        call("PUT publication", "PUT", "/api/v1/inventories/2023/publication", headers=headers)
        time.sleep(5)


warm = min(10.0, args.seconds / 6)
threads = [threading.Thread(target=reader, args=(i,)) for i in range(6)]
threads += [threading.Thread(target=ingester, args=(*k.split("=", 1), i)) for i, k in enumerate(args.key)]
threads.append(threading.Thread(target=editor))
for t in threads:
    t.start()
time.sleep(warm)
memory_start = rss_kib()
for t in threads:
    t.join()
memory_end = rss_kib()

total = sum(len(v) for v in latencies.values())
print(f"soak: {total} requests in {args.seconds:.0f} s ({total / args.seconds:.0f}/s), {len(errors)} errors")
for e in errors[:20]:
    print("  error:", e)
print(f"{'route':58} {'n':>7} {'p50 ms':>8} {'p99 ms':>8}")
for route, values in sorted(latencies.items()):
    values.sort()
    p99 = values[min(len(values) - 1, int(len(values) * 0.99))]
    print(f"{route:58} {len(values):7d} {statistics.median(values) * 1000:8.1f} {p99 * 1000:8.1f}")
print(f"server memory: {memory_start / 1024:.1f} MiB after {warm:.0f} s warm-up, {memory_end / 1024:.1f} MiB at the end")

# The roll-ups still add up to the readings: per datastream, the readings counted by day equal
# the readings with a consumption, and the consumption agrees up to the unit's scale.
db = sqlite3.connect(args.database)
bad = []
for key, counted, readings, day_sum, reading_sum in db.execute("""
    SELECT d.key, (SELECT COALESCE(SUM(readings), 0) FROM monitor_datastream_day WHERE datastream_id = d.id),
           (SELECT COUNT(consumption) FROM monitor_reading WHERE datastream_id = d.id),
           (SELECT COALESCE(SUM(consumption), 0) FROM monitor_datastream_day WHERE datastream_id = d.id),
           (SELECT COALESCE(SUM(consumption), 0) FROM monitor_reading WHERE datastream_id = d.id)
    FROM monitor_datastream d"""):
    scale = day_sum / reading_sum if reading_sum else 1
    if counted != readings or not any(abs(scale - s) <= 1e-6 * s for s in (1, 1000, 0.001)):
        bad.append(f"{key}: {counted} counted by day, {readings} readings; consumption {day_sum} against {reading_sum}")
print(f"roll-ups: {'they add up to the readings' if not bad else 'do NOT add up: ' + '; '.join(bad[:5])}")
if errors or bad:
    raise SystemExit(1)
