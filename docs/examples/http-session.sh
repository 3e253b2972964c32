#!/usr/bin/env bash
# An HTTP session against `ferry serve`: issue a token, create an export, poll it, download and
# unpack the file. `make demo` runs it against the demo dataset and prints every command it runs;
# README.md shows the same session.
#
#   docs/examples/http-session.sh [DATA_DIR]     (FERRY=path/to/ferry, PORT=8089 to override)
set -euo pipefail

FERRY=${FERRY:-.build/debug/ferry}
DATA_DIR=${1:-.ferry-demo}
PORT=${PORT:-8089}
BASE="http://127.0.0.1:$PORT"

"$FERRY" serve --data-dir "$DATA_DIR" --port "$PORT" --log-level warning &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/health" >/dev/null && break; sleep 0.1; done

show() { printf '\n$ %s\n' "$*" >&2; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin)['data']; print(d$1)"; }

show "TOKEN=\$(ferry token --mode test | tail -1)"
TOKEN=$("$FERRY" token --data-dir "$DATA_DIR" --mode test | tail -1)

BODY='{"data":{"type":"exports","attributes":{"resource_type":"skus","format":"csv","includes":["prices"],"filters":{"code_start":"SKU-0001"}}}}'
show "curl -s -X POST $BASE/api/exports -H \"Authorization: Bearer \$TOKEN\" -H 'Content-Type: application/vnd.api+json' -d '$BODY'"
CREATED=$(curl -s -X POST "$BASE/api/exports" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/vnd.api+json' -d "$BODY")
ID=$(echo "$CREATED" | field "['id']")
echo "$CREATED" | python3 -c "import json,sys; a=json.load(sys.stdin)['data']['attributes']; print('id', '$ID', 'status', a['status'], 'records_count', a['records_count'])"

show "curl -s $BASE/api/exports/$ID -H \"Authorization: Bearer \$TOKEN\"   # until status is completed"
while true; do
  JOB=$(curl -s "$BASE/api/exports/$ID" -H "Authorization: Bearer $TOKEN")
  STATUS=$(echo "$JOB" | field "['attributes']['status']")
  echo "status $STATUS, progress $(echo "$JOB" | field "['attributes']['progress']")%"
  case "$STATUS" in completed) break ;; failed|interrupted) echo "$JOB"; exit 1 ;; esac
  sleep 0.2
done

URL=$(echo "$JOB" | field "['attributes']['attachment_url']")
show "curl -s -o skus.csv.gz \"$URL\""
OUT="$DATA_DIR/skus-$ID.csv.gz"
curl -s -o "$OUT" "$URL"
show "gunzip -k skus.csv.gz && head -3 skus.csv"
gunzip -kf "$OUT"
head -3 "${OUT%.gz}" | cut -c1-120
echo "$(wc -l < "${OUT%.gz}") lines (a header and one line per SKU) in ${OUT%.gz}"
