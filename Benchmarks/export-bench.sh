#!/usr/bin/env bash
# Export benchmark (issue 3): ferry export against sqlite3's own shell piped into gzip -6.
# Seeds 1,000,000 and 100,000 SKUs once (cached in Benchmarks/.cache), then reports medians of
# RUNS runs, the ratio ferry/sqlite3, output sizes and peak RSS (from /usr/bin/time -v).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
FERRY=.build/release/ferry
CACHE=Benchmarks/.cache
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
for n in 1000000 100000; do
  if [ ! -f "$CACHE/$n/test.sqlite" ]; then
    echo "seeding $n SKUs (cached for later runs)…"
    rm -rf "$CACHE/$n"
    "$FERRY" seed --data-dir "$CACHE/$n" --skus "$n" --quiet > /dev/null
  fi
done
DB="$CACHE/1000000/test.sqlite"

# measure NAME CMD…: median wall seconds and max peak RSS (MB) over RUNS runs.
measure() {
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/time" bash -c "$*" > /dev/null 2>&1
    read -r t m < "$OUT/time"
    times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$name $median $((rss / 1024))"
}

printf '%-34s %9s %9s %10s\n' "case" "median s" "RSS MB" "size MB"
row() { printf '%-34s %9s %9s %10.1f\n' "$1" "$2" "$3" "$(echo "$(stat -c %s "$4") / 1000000" | bc -l)"; }

read -r _ fj rj < <(measure ferry-json "$FERRY export --data-dir $CACHE/1000000 --type skus --output $OUT/f.json.gz --quiet")
row "ferry export json.gz (1M)" "$fj" "$rj" "$OUT/f.json.gz"
read -r _ sj rsj < <(measure sqlite-json "sqlite3 -json $DB 'select * from skus' | gzip -6 > $OUT/s.json.gz")
row "sqlite3 -json | gzip -6 (1M)" "$sj" "$rsj" "$OUT/s.json.gz"
read -r _ fc rc < <(measure ferry-csv "$FERRY export --data-dir $CACHE/1000000 --type skus --format csv --output $OUT/f.csv.gz --quiet")
row "ferry export csv.gz (1M)" "$fc" "$rc" "$OUT/f.csv.gz"
read -r _ sc rsc < <(measure sqlite-csv "sqlite3 -csv -header $DB 'select * from skus' | gzip -6 > $OUT/s.csv.gz")
row "sqlite3 -csv -header | gzip -6 (1M)" "$sc" "$rsc" "$OUT/s.csv.gz"
read -r _ f100 r100 < <(measure ferry-json-100k "$FERRY export --data-dir $CACHE/100000 --type skus --output $OUT/h.json.gz --quiet")
row "ferry export json.gz (100k)" "$f100" "$r100" "$OUT/h.json.gz"
read -r _ fi ri < <(measure ferry-include "$FERRY export --data-dir $CACHE/1000000 --type skus --include prices.price_tiers,stock_items --output $OUT/i.json.gz --quiet")
row "ferry json.gz + includes (1M)" "$fi" "$ri" "$OUT/i.json.gz"

echo
printf 'ratio json ferry/sqlite3: %.2f (target ≤ 1.0)\n' "$(echo "$fj / $sj" | bc -l)"
printf 'ratio csv  ferry/sqlite3: %.2f (target ≤ 1.0)\n' "$(echo "$fc / $sc" | bc -l)"
printf 'peak RSS 1M / 100k: %.2f (target ≤ 1.3)\n' "$(echo "$rj / $r100" | bc -l)"
printf 'includes / plain: %.2f (target ≤ 3.0)\n' "$(echo "$fi / $fj" | bc -l)"
