#!/usr/bin/env bash
# Fuzzes `ferry serve` with schemathesis against its own /openapi.json (issue 14 point 16):
# every check, every phase (examples, coverage, fuzzing, stateful), on a seeded dataset in a
# temporary data directory, with a token from `ferry token`. Exits non-zero on any failure,
# on any server crash, or when fewer cases ran than asked.
#
#   Tests/fuzz/run.sh [MIN_CASES]
#
#   MIN_CASES         the fewest test cases the run must execute (default 5000; `make fuzz-short`: 300)
#   FERRY             the ferry binary (default .build/debug/ferry; `make fuzz` builds it)
#   FUZZ_PHASES       schemathesis' --phases (default: all four, examples,coverage,fuzzing,stateful;
#                     `make fuzz-short` leaves out coverage, whose cases --max-examples does not
#                     bound: alone it draws some 30,000 from the document's per-type schemas)
#   FUZZ_EXAMPLES     schemathesis' --max-examples per operation (default 50)
#   FUZZ_SKUS         SKUs in the seeded dataset (default 300)
#   FUZZ_SEED         schemathesis' --seed (default: random; the run prints it to reproduce)
#   FUZZ_REPORT_DIR   where the reports go (default .schemathesis/report)
#
# The server runs on a free loopback port, with the rate limit off (--rate-limit 0: the fuzzer
# sends thousands of requests a minute with one token), and is stopped on exit whatever happens.
set -euo pipefail
cd "$(dirname "$0")/../.."

MIN_CASES=${1:-5000}
FERRY=${FERRY:-.build/debug/ferry}
SKUS=${FUZZ_SKUS:-300}
REPORT_DIR=${FUZZ_REPORT_DIR:-.schemathesis/report}
SCHEMATHESIS_VERSION=4.32.5
VENV=.build-tools/fuzz-venv

# schemathesis, pinned, in its own virtual environment.
if [ ! -f "$VENV/.ready-$SCHEMATHESIS_VERSION" ]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  touch "$VENV/.ready-$SCHEMATHESIS_VERSION"
fi

[ -x "$FERRY" ] || { echo "fuzz: no ferry binary at $FERRY (run 'swift build')" >&2; exit 1; }

# The fuzzer creates webhooks with callback URLs on random hosts, and the server delivers to them
# when a job ends: the run goes on in a network namespace of its own, with only a loopback
# interface, so that nothing it does can reach another machine. Where one cannot be made (not
# root), the operations that register a callback URL are left out instead.
EXCLUDE_ARGS=()
if [ -z "${FERRY_FUZZ_ISOLATED:-}" ]; then
  if command -v unshare >/dev/null && command -v ip >/dev/null && unshare --net true 2>/dev/null; then
    exec env FERRY_FUZZ_ISOLATED=1 unshare --net bash -c 'ip link set lo up && exec "$0" "$@"' "$PWD/Tests/fuzz/run.sh" "$@"
  fi
  echo "fuzz: no network namespace (needs root, unshare and ip): createWebhook and updateWebhook are not fuzzed" >&2
  EXCLUDE_ARGS=(--exclude-operation-id createWebhook --exclude-operation-id updateWebhook)
fi

DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ferry-fuzz.XXXXXX")
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

"$FERRY" seed --data-dir "$DATA_DIR" --mode test --skus "$SKUS" --quiet
TOKEN=$("$FERRY" token --data-dir "$DATA_DIR" --mode test --ttl 7d --subject fuzz | tail -1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"

"$FERRY" serve --data-dir "$DATA_DIR" --host 127.0.0.1 --port "$PORT" --rate-limit 0 --no-schedules \
  --log-level warning >"$DATA_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
  curl -sf "$BASE/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "fuzz: the server did not start:" >&2; cat "$DATA_DIR/server.log" >&2; exit 1; }
  sleep 0.1
done
curl -sf "$BASE/health" >/dev/null || { echo "fuzz: the server does not answer /health" >&2; exit 1; }

PHASES=${FUZZ_PHASES:-examples,coverage,fuzzing,stateful}
EXAMPLES=${FUZZ_EXAMPLES:-50}
SEED_ARGS=()
[ -n "${FUZZ_SEED:-}" ] && SEED_ARGS=(--seed "$FUZZ_SEED")

mkdir -p "$REPORT_DIR"
echo "fuzz: phases $PHASES, --max-examples $EXAMPLES, at least $MIN_CASES cases, server on $BASE (pid $SERVER_PID)"
# Every check runs; positive_data_acceptance runs as positive_data_acceptance_of_the_request
# (Tests/fuzz/hooks.py): the same check, less the two 422s whose cause is the server's data, not
# the request (an export whose valid filters select nothing; _interrupt/_start on a job whose
# status forbids it), which no schema can state. hooks.py says how each is recognised.
set +e
SCHEMATHESIS_HOOKS=Tests/fuzz/hooks.py "$VENV/bin/st" run "$BASE/openapi.json" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --phases "$PHASES" \
  --header "Authorization: Bearer $TOKEN" \
  --max-examples "$EXAMPLES" \
  --workers 2 \
  --request-timeout 30 \
  --continue-on-failure \
  --suppress-health-check too_slow,filter_too_much,data_too_large \
  --generation-database none \
  --report junit --report-dir "$REPORT_DIR" \
  --no-color \
  "${SEED_ARGS[@]}" "${EXCLUDE_ARGS[@]}" 2>&1 | tee "$REPORT_DIR/output.txt"
STATUS=${PIPESTATUS[0]}
set -e

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "fuzz: the server died during the run; its log:" >&2
  tail -50 "$DATA_DIR/server.log" >&2
  exit 1
fi
# The number of cases run, from schemathesis' summary ("Test cases:" then "  N generated, ...").
CASES=$(sed -n '/^Test cases:/{n;s/^ *\([0-9][0-9]*\) generated.*/\1/p}' "$REPORT_DIR/output.txt" | tail -1)
echo "fuzz: ${CASES:-0} cases run (at least $MIN_CASES asked), schemathesis exit $STATUS"
[ "$STATUS" = 0 ] || exit "$STATUS"
[ "${CASES:-0}" -ge "$MIN_CASES" ] || { echo "fuzz: fewer cases than $MIN_CASES" >&2; exit 1; }
