#!/usr/bin/env bash
# Web benchmark, side by side in one run: the dashboard and one inventory from citycarbon,
# and nginx serving the dashboard's own HTML bytes as a static file. wrk on loopback,
# 64 connections, several rounds; prints requests per second and p99 latency, with medians.
#
#   scripts/bench-web.sh [rounds] [seconds]      (default 3 rounds of 10 s)
#
# Needs a release build (swift build -c release) and Debian's wrk and nginx
# (apt-get install wrk nginx); everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
binary=.build/release/citycarbon
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 2; }
command -v wrk > /dev/null && command -v nginx > /dev/null || { echo "install wrk and nginx: apt-get install -y wrk nginx" >&2; exit 2; }

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
app_port=$(free_port)
"$binary" serve --demo --database "$work/bench.sqlite" --port "$app_port" > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 60); do curl -fsS "http://127.0.0.1:$app_port/healthz" > /dev/null 2>&1 && break; sleep 0.5; done

year=$(curl -fsS "http://127.0.0.1:$app_port/api/v1/inventories" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][-1]["year"])')
mkdir -p "$work/www"
curl -fsS "http://127.0.0.1:$app_port/" -o "$work/www/index.html"
curl -fsS "http://127.0.0.1:$app_port/assets/site.css" -o "$work/www/site.css"
chmod -R a+rX "$work"   # nginx workers run as an unprivileged user
page_bytes=$(wc -c < "$work/www/index.html")
css_bytes=$(wc -c < "$work/www/site.css")

nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; text/css css; }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    location / { index index.html; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
sleep 0.5

run() { # name url
  wrk -t2 -c64 -d"${seconds}s" --latency "$2" 2>&1 | python3 -c '
import re, sys
text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rps:.0f} {p99:.2f} {errors.group(1) if errors else 0}")'
}

echo "dashboard: $page_bytes bytes HTML (charts inline as SVG) + $css_bytes bytes CSS = $((page_bytes + css_bytes)) bytes; $(nproc) cores; $rounds rounds of ${seconds}s, 64 connections"
declare -A rps p99
for round in $(seq 1 "$rounds"); do
  for target in dashboard inventory nginx; do
    case $target in
      dashboard) url="http://127.0.0.1:$app_port/" ;;
      inventory) url="http://127.0.0.1:$app_port/api/v1/inventories/$year" ;;
      nginx) url="http://127.0.0.1:$nginx_port/index.html" ;;
    esac
    read -r r p e < <(run "$target" "$url")
    [ "$e" = "0" ] || { echo "$target answered $e errors" >&2; exit 1; }
    rps[$target]="${rps[$target]:-} $r"
    p99[$target]="${p99[$target]:-} $p"
    echo "round $round $target: $r req/s, p99 $p ms"
  done
done
median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' $1; }
d=$(median "${rps[dashboard]}"); n=$(median "${rps[nginx]}")
echo "median dashboard: $(printf %.0f "$d") req/s, p99 $(median "${p99[dashboard]}") ms"
echo "median /api/v1/inventories/$year: $(printf %.0f "$(median "${rps[inventory]}")") req/s, p99 $(median "${p99[inventory]}") ms"
echo "median nginx static: $(printf %.0f "$n") req/s, p99 $(median "${p99[nginx]}") ms"
echo "dashboard / nginx: $(python3 -c "print(f'{$d / $n * 100:.0f} %')")"
