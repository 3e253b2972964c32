#!/usr/bin/env bash
# API benchmark (issue 6), with wrk on loopback against `ferry serve` over the 1M-SKU seed:
#  1. an export of 1,000,000 SKUs alone (its started_at → completed_at);
#  2. the same export while wrk reads GET /api/exports/{id} with 64 connections: requests/s, p99,
#     and how much the export slowed (target: p99 < 20 ms, export slowed < 25%); steps 1 and 2
#     run PAIRS times (default 5), each pair printed, medians compared;
#  3. GET /api/skus?page[size]=25&include=prices: requests/s and p99.
set -euo pipefail
cd "$(dirname "$0")/.."
FERRY=.build/release/ferry
CACHE=Benchmarks/.cache/1000000
[ -f "$CACHE/test.sqlite" ] || "$FERRY" seed --data-dir "$CACHE" --skus 1000000 --quiet > /dev/null
OUT=$(mktemp -d)
PORT=18766
BASE="http://127.0.0.1:$PORT"
cp "$CACHE/test.sqlite" "$OUT/test.sqlite"
"$FERRY" serve --data-dir "$OUT" --port "$PORT" --workers 2 --no-schedules --rate-limit 0 --log-level warning ${SERVE_FLAGS:-} &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$OUT"' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/health" > /dev/null && break; sleep 0.1; done
TOKEN=$("$FERRY" token --data-dir "$OUT" --mode test --ttl 1h | tail -1)
AUTH="Authorization: Bearer $TOKEN"

export_once() {  # prints the new export's id once it has completed
  local id
  id=$(curl -s -X POST "$BASE/api/exports" -H "$AUTH" -H 'Content-Type: application/vnd.api+json' \
    -d '{"data":{"type":"exports","attributes":{"resource_type":"skus"}}}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["id"])')
  echo "$id"
}
seconds_of() {  # started_at → completed_at of an export, in seconds
  curl -s "$BASE/api/exports/$1" -H "$AUTH" | python3 -c '
import json, sys, datetime
a = json.load(sys.stdin)["data"]["attributes"]
p = lambda s: datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
print("%.2f" % (p(a["completed_at"]) - p(a["started_at"])).total_seconds())'
}
wait_done() {
  while [ "$(curl -s "$BASE/api/exports/$1" -H "$AUTH" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["attributes"]["status"])')" != completed ]; do sleep 0.2; done
}
p99() { awk '/ 99%/ {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else {sub(/s$/,"",v); v*=1000}; printf "%.2f\n", v}' "$1"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }

# The export alone, then under load, PAIRS times over: on a shared 2-core machine one pair swings
# widely, so each pair is printed and the medians are compared.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > "$OUT/alone"; : > "$OUT/loaded"; : > "$OUT/rps"; : > "$OUT/p99"
for pair in $(seq "${PAIRS:-5}"); do
  id=$(export_once); wait_done "$id"; alone=$(seconds_of "$id")
  id=$(export_once)
  wrk -t2 -c64 -d"${WRK_SECONDS:-8}s" --latency -H "$AUTH" "$BASE/api/exports/$id" > "$OUT/wrk1.txt"
  wait_done "$id"; loaded=$(seconds_of "$id")
  echo "$alone" >> "$OUT/alone"; echo "$loaded" >> "$OUT/loaded"
  rps "$OUT/wrk1.txt" >> "$OUT/rps"; p99 "$OUT/wrk1.txt" >> "$OUT/p99"
  printf 'pair %s: export alone %s s, under load %s s (%+.0f%%); GET /api/exports/{id} %s req/s, p99 %s ms\n' \
    "$pair" "$alone" "$loaded" "$(echo "($loaded / $alone - 1) * 100" | bc -l)" "$(rps "$OUT/wrk1.txt")" "$(p99 "$OUT/wrk1.txt")"
done
alone=$(median < "$OUT/alone"); loaded=$(median < "$OUT/loaded")
printf '%-58s %8s s\n' "export of 1M skus, alone (median)" "$alone"
printf '%-58s %8s s\n' "the same export under GET /api/exports/{id} load (median)" "$loaded"
printf '%-58s %8s req/s, p99 %s ms (medians)\n' "GET /api/exports/{id}, 64 connections, during the export" "$(median < "$OUT/rps")" "$(median < "$OUT/p99")"
printf 'export slowed by %.0f%% (medians; target < 25%%)\n' "$(echo "($loaded / $alone - 1) * 100" | bc -l)"

wrk -t2 -c64 -d"${WRK_SECONDS:-8}s" --latency -H "$AUTH" "$BASE/api/skus?page%5Bsize%5D=25&include=prices" > "$OUT/wrk2.txt"
printf '%-58s %8s req/s, p99 %s\n' "GET /api/skus?page[size]=25&include=prices, 64 connections" "$(rps "$OUT/wrk2.txt")" "$(p99 "$OUT/wrk2.txt") ms"
