#!/usr/bin/env bash
# Soak test on loopback: the demo server under public readers, three integration keys
# ingesting, and an editor's upload, computation and publication, for SECONDS (bounded).
# Prints errors (goal 0), p50/p99 per route, the server's memory after warm-up and at the
# end, then checks the audit trail (citycarbon audit verify) and that the roll-ups still add
# up to the readings.
#
#   scripts/soak.sh SECONDS [BINARY]      (default binary: .build/debug/citycarbon)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: scripts/soak.sh SECONDS [BINARY]}
binary=${2:-.build/debug/citycarbon}
[ -x "$binary" ] || { echo "build first: swift build" >&2; exit 2; }
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binary" serve --demo --database "$work/soak.sqlite" --port "$port" --log-level error > "$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 120); do curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break; sleep 0.5; done
keys=()
for org in "Acme Property" "Lakeside Estates" "Port of Demo City"; do
  keys+=("$("$binary" key create "soak-${org// /-}" --role integration --organisation "$org" --database "$work/soak.sqlite")")
done
admin=$("$binary" key create soak-admin --role admin --database "$work/soak.sqlite")
python3 scripts/soak.py --port "$port" --pid "$server" --seconds "$seconds" --database "$work/soak.sqlite" --admin "$admin" \
  --key "nb-tower/elec=${keys[0]}" --key "lk-offices/elec=${keys[1]}" --key "hb-office/elec=${keys[2]}"
"$binary" audit verify --database "$work/soak.sqlite"
