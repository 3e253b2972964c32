#!/usr/bin/env bash
# Import benchmark (issue 4): ferry import of 1,000,000 dry-data SKUs into an empty dataset, beside
# `sqlite-utils insert … --pk code` of the same JSON and `sqlite3 .import` of the CSV; then a full
# test → live duplication of the 100,000-SKU dataset. Uses the seeds cached by export-bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
FERRY=.build/release/ferry
CACHE=Benchmarks/.cache
SQLITE_UTILS=Benchmarks/.venv/bin/sqlite-utils
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for n in 1000000 100000; do
  [ -f "$CACHE/$n/test.sqlite" ] || "$FERRY" seed --data-dir "$CACHE/$n" --skus "$n" --quiet > /dev/null
done
timed() {  # timed LABEL CMD…: prints wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" bash -c "$*" > "$OUT/log" 2>&1 || { cat "$OUT/log"; exit 1; }
  read -r t m < "$OUT/time"
  printf '%-44s %8.2f s %7d MB\n' "$label" "$t" "$((m / 1024))"
  echo "$t"  > "$OUT/last"
}
"$FERRY" export --data-dir "$CACHE/1000000" --type skus --dry-data --output "$OUT/skus.json" --quiet
"$FERRY" export --data-dir "$CACHE/1000000" --type skus --dry-data --format csv --output "$OUT/skus.csv" --quiet
mkdir -p "$OUT/base"
"$FERRY" duplicate --data-dir "$CACHE/1000000" --types shipping_categories --to-file "$OUT/categories.ferry" --quiet > /dev/null
"$FERRY" import --data-dir "$OUT/base" --mode live --archive "$OUT/categories.ferry" > /dev/null

# ferry and sqlite3 .import: the median of RUNS runs (default 5), each into an empty dataset, as
# runs on this shared machine swing by a third; sqlite-utils, at four times their time, runs once.
median_of() {  # median_of LABEL SETUP CMD: prints the median wall seconds and the largest RSS
  local label=$1 setup=$2 cmd=$3 times=() rss=0
  for _ in $(seq "${RUNS:-5}"); do
    bash -c "$setup"
    timed "$label" "$cmd" > "$OUT/row"
    times+=("$(cat "$OUT/last")"); m=$(awk '{print $(NF-1)}' "$OUT/row"); [ "$m" -gt "$rss" ] && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-44s %8.2f s %7d MB   (median of %s: %s)\n' "$label" "$median" "$rss" "${RUNS:-5}" "${times[*]}"
  echo "$median" > "$OUT/last"
}
median_of "ferry import 1M skus (json)" "rm -rf $OUT/ferry && cp -r $OUT/base $OUT/ferry" \
  "$FERRY import --data-dir $OUT/ferry --mode live --type skus --input $OUT/skus.json --quiet"
ferry=$(cat "$OUT/last")
timed "sqlite-utils insert --pk code (json)" "$SQLITE_UTILS insert $OUT/su.db skus $OUT/skus.json --pk code"
utils=$(cat "$OUT/last")
median_of "sqlite3 .import (csv)" "rm -f $OUT/imp.db" "sqlite3 $OUT/imp.db '.mode csv' '.import $OUT/skus.csv skus'"
imp=$(cat "$OUT/last")
printf 'ferry vs sqlite-utils: %.1fx faster (target ≥ 5)\n' "$(echo "$utils / $ferry" | bc -l)"
printf 'ferry vs sqlite3 .import: %.1fx the time (target ≤ 3)\n' "$(echo "$ferry / $imp" | bc -l)"

cp "$CACHE/100000/test.sqlite" "$OUT/dup-test.sqlite"
mkdir -p "$OUT/dup" && cp "$CACHE/100000/test.sqlite" "$OUT/dup/test.sqlite"
timed "ferry duplicate test→live (100k skus, all types)" "$FERRY duplicate --data-dir $OUT/dup --from test --to live --quiet"

# The baseline duplication must beat: the same, type by type, through the HTTP API (export, download, import).
mkdir -p "$OUT/http" && cp "$CACHE/100000/test.sqlite" "$OUT/http/test.sqlite"
PORT=18765
"$FERRY" serve --data-dir "$OUT/http" --port "$PORT" --workers 2 --no-schedules --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$OUT"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
TEST_TOKEN=$("$FERRY" token --data-dir "$OUT/http" --mode test | tail -1)
LIVE_TOKEN=$("$FERRY" token --data-dir "$OUT/http" --mode live | tail -1)
TYPES=$("$FERRY" counts --data-dir "$OUT/http" --mode test | tail -n +3 | awk '{print $1}')
http=$(python3 Benchmarks/http_duplicate.py "http://127.0.0.1:$PORT" "$TEST_TOKEN" "$LIVE_TOKEN" $TYPES)
printf '%-44s %8.2f s\n' "the same through the HTTP API, type by type" "$http"
printf 'ferry duplicate vs HTTP type by type: %.1fx faster (target > 1)\n' "$(echo "$http / $(cat "$OUT/last")" | bc -l)"
