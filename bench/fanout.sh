#!/usr/bin/env bash
# Firehose fan-out and replay, one fresh server per run: our PDS (native AOT binary) and optionally the reference PDS.
#
# Usage: bench/fanout.sh
# Environment (all optional):
#   RUNS="100:50 1000:20 10000:2"   subscribers:offered-writes-per-second, one fanoutN phase per entry
#   REF_RUNS="100:50 1000:20"       the same against the reference PDS (empty: skip it)
#   REPLAY_FILL=100000              records written (applyWrites ×200, then 5 s of createRecord ×16) before replay1,replay10
#   PHASE_SECONDS=10  AOT=artifacts/aot/alteran  REFPDS_DIR=/tmp/refpds-compare (a writable copy of the peer folder)
#   OUT=dir                         JSON results (default $TMPDIR/alteran-fanout-<UTC>)
# Loopback only. Needs `ulimit -n` ≥ subscribers + 100 for the load tool and the server.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-"100:50 1000:20 10000:2"}
REF_RUNS=${REF_RUNS-"100:50 1000:20"}
REPLAY_FILL=${REPLAY_FILL:-100000}
PHASE_SECONDS=${PHASE_SECONDS:-10}
AOT=${AOT:-artifacts/aot/alteran}
REFPDS_DIR=${REFPDS_DIR:-/tmp/refpds-compare}
OUT=${OUT:-${TMPDIR:-/tmp}/alteran-fanout-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT"
log() { echo "[fanout] $*" >&2; }

dotnet build -c Release bench/Alteran.Load >/dev/null
LOAD=(dotnet "$ROOT/bench/Alteran.Load/bin/Release/net10.0/Alteran.Load.dll")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

PID=; DATA=
start_ours() {
  DATA=$(mktemp -d -t alteran-fanout.XXXXXX)
  PORT=$(free_port)
  ALTERAN_DATA=$DATA ALTERAN_LISTEN=127.0.0.1:$PORT ALTERAN_LOG_LEVEL=Warning PDS_RATE_LIMITS_ENABLED=false \
    PDS_FIREHOSE_MAX_SUBSCRIBERS=20000 ALTERAN_MAX_CONNECTIONS=100000 ALTERAN_MAX_CONNECTIONS_PER_IP=100000 \
    setsid "$AOT" >"$DATA.log" 2>&1 </dev/null &
  PID=$!
  for _ in $(seq 200); do [[ -s $DATA/secrets.json ]] && curl -sf "http://127.0.0.1:$PORT/xrpc/_health" >/dev/null && break; sleep 0.05; done
  URL=http://127.0.0.1:$PORT
  HANDLE=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['handle'])" "$DATA/secrets.json")
  PASSWORD=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['password'])" "$DATA/secrets.json")
}
stop_ours() { kill -TERM "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$DATA" "$DATA.log"; }
start_ref() {
  (cd "$REFPDS_DIR" && ./start.sh >/dev/null 2>&1)
  # shellcheck disable=SC1091
  source "$REFPDS_DIR/run/pds.env"
  PID=$REFPDS_PID URL=$REFPDS_URL HANDLE=$REFPDS_HANDLE PASSWORD=$REFPDS_PASSWORD
}
stop_ref() { (cd "$REFPDS_DIR" && ./stop.sh >/dev/null 2>&1) || true; }

run() { # label phases extra-args...
  local label=$1 phases=$2; shift 2
  log "$label: $phases $*"
  "${LOAD[@]}" --target "$URL" --handle "$HANDLE" --password "$PASSWORD" --server-pid "$PID" --label "$label" \
    --phases "login,$phases" --phase-seconds "$PHASE_SECONDS" --out "$OUT/$label.json" "$@" | grep -v '^\[' || true
}

for r in $RUNS; do
  n=${r%%:*} rate=${r##*:}
  start_ours; run "ours-fanout$n" "fanout$n" --fanout-rate "$rate"; stop_ours
done
start_ours; run "ours-replay" "fill,create16,replay1,replay10" --fill-records "$REPLAY_FILL"; stop_ours

if [[ -n $REF_RUNS ]]; then
  for r in $REF_RUNS; do
    n=${r%%:*} rate=${r##*:}
    start_ref; run "ref-fanout$n" "fanout$n" --fanout-rate "$rate"; stop_ref
  done
  start_ref; run "ref-replay" "fill,create16,replay1,replay10" --fill-records 10000; stop_ref
fi
log "results: $OUT"
