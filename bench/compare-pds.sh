#!/usr/bin/env bash
# Same XRPC workload (bench/Alteran.Load --target) against our PDS and the reference @atproto/pds, alternating
# (ours, reference, ours, ...), a fresh server + fresh data for every run, then the ratio ours/reference per phase.
#
# Usage: bench/compare-pds.sh
# Environment (all optional):
#   ROUNDS=1               rounds of (ours, reference)
#   PHASES=...             phases for both (default: Alteran.Load's default list)
#   PHASE_SECONDS=5 FILL=2000 MAX_OPS=100000 MAX_TOTAL=600
#   OURS_CMD="..."         command starting our PDS (default: the Release build of src/Alteran.Net;
#                          AOT=path/to/alteran uses the native binary instead)
#   ALTERAN_HANDLE / ALTERAN_PASSWORD   account of our PDS; if unset they are read from <data>/secrets.json
#   REFPDS_DIR=...         reference PDS peer folder (default /work/shared/peers/refpds; copied to $TMPDIR if read-only)
#   OUT=dir                where the JSON results go (default $TMPDIR/alteran-compare-<UTC>)
# Loopback only: both servers listen on 127.0.0.1 and the load tool refuses any other target.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-1}
PHASE_SECONDS=${PHASE_SECONDS:-5}
FILL=${FILL:-2000}
MAX_OPS=${MAX_OPS:-100000}
MAX_TOTAL=${MAX_TOTAL:-600}
PHASES=${PHASES:-}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-${TMPDIR:-/tmp}/alteran-compare-$STAMP}
mkdir -p "$OUT"
log() { echo "[compare-pds] $*" >&2; }

dotnet build -c Release bench/Alteran.Load >/dev/null
LOAD=(dotnet "$ROOT/bench/Alteran.Load/bin/Release/net10.0/Alteran.Load.dll")
if [[ -z ${OURS_CMD:-} ]]; then
  if [[ -n ${AOT:-} ]]; then
    OURS_CMD=$AOT
  else
    dotnet build -c Release src/Alteran.Net >/dev/null
    OURS_CMD="dotnet $ROOT/src/Alteran.Net/bin/Release/net10.0/alteran.dll"
  fi
fi

REFPDS_DIR=${REFPDS_DIR:-/work/shared/peers/refpds}
if [[ ! -w $REFPDS_DIR ]]; then
  COPY=${TMPDIR:-/tmp}/refpds-compare
  log "reference folder is read-only; using a copy in $COPY"
  mkdir -p "$COPY"
  cp -r "$REFPDS_DIR/." "$COPY/"
  chmod -R u+w "$COPY"
  REFPDS_DIR=$COPY
fi

load() { # label url handle password pid out
  local args=(--target "$2" --handle "$3" --password "$4" --server-pid "$5" --label "$1" --out "$6"
    --phase-seconds "$PHASE_SECONDS" --fill-records "$FILL" --max-ops "$MAX_OPS" --max-total-seconds "$MAX_TOTAL")
  [[ -n $PHASES ]] && args+=(--phases "$PHASES")
  "${LOAD[@]}" "${args[@]}"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

run_ours() { # out
  local data port pid handle password
  data=$(mktemp -d -t alteran-compare.XXXXXX)
  port=$(free_port)
  handle=${ALTERAN_HANDLE:-}
  password=${ALTERAN_PASSWORD:-}
  # Rate limits off, as on the reference (PDS_RATE_LIMITS_ENABLED=false there too): its per-IP budgets would
  # answer 429 within the first phases.
  local envs=(ALTERAN_DATA="$data" ALTERAN_LISTEN="127.0.0.1:$port" ALTERAN_LOG_LEVEL=Warning
    ALTERAN_MAX_CONNECTIONS=100000 ALTERAN_MAX_CONNECTIONS_PER_IP=100000 PDS_RATE_LIMITS_ENABLED=false)
  [[ -n $handle ]] && envs+=(PDS_HANDLE="$handle")
  [[ -n $password ]] && envs+=(USER_PASSWORD="$password")
  # shellcheck disable=SC2086
  env "${envs[@]}" setsid $OURS_CMD >"$data.log" 2>&1 </dev/null &
  pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/xrpc/_health" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { log "our PDS exited; log:"; cat "$data.log" >&2; return 1; }
    sleep 0.1
  done
  if [[ -z $handle || -z $password ]]; then
    read -r handle password < <(python3 - "$data/secrets.json" <<'PY'
import json, sys
d = {k.lower(): v for k, v in json.load(open(sys.argv[1])).items()}
print(d["handle"], d["password"])
PY
)
  fi
  log "ours: http://127.0.0.1:$port pid $pid handle $handle"
  load "alteran" "http://127.0.0.1:$port" "$handle" "$password" "$pid" "$1" || log "load against ours failed"
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$data" "$data.log"
}

REF_STARTED=0
run_ref() { # out
  (cd "$REFPDS_DIR" && ./start.sh >&2)
  REF_STARTED=1
  # shellcheck disable=SC1091
  source "$REFPDS_DIR/run/pds.env"
  load "refpds" "$REFPDS_URL" "$REFPDS_HANDLE" "$REFPDS_PASSWORD" "$REFPDS_PID" "$1" || log "load against reference failed"
  (cd "$REFPDS_DIR" && ./stop.sh)
  REF_STARTED=0
}

# Stop only an instance this script started (start.sh refuses to start over a live one).
trap '[[ $REF_STARTED == 1 ]] && (cd "$REFPDS_DIR" && ./stop.sh) || true' EXIT
for round in $(seq 1 "$ROUNDS"); do
  log "round $round: ours (load average $(cut -d' ' -f1 /proc/loadavg))"
  run_ours "$OUT/ours-$round.json"
  log "round $round: reference (load average $(cut -d' ' -f1 /proc/loadavg))"
  run_ref "$OUT/ref-$round.json"
done

# Ratio per phase, medians over rounds: ops/s (>1 = ours faster), p99 and server CPU per op (<1 = ours better).
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, os, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(kind):
    runs = []
    for r in range(1, rounds + 1):
        p = os.path.join(out, f"{kind}-{r}.json")
        if os.path.exists(p):
            runs.append({ph["name"]: ph for ph in json.load(open(p))["phases"]})
    return runs
ours, ref = load("ours"), load("ref")
def med(runs, name, key):
    v = [r[name][key] for r in runs if name in r and r[name].get(key) is not None]
    return statistics.median(v) if v else None
def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "n/a"
names = [n for n in (ref[0] if ref else {}) ]
for n in (ours[0] if ours else {}):
    if n not in names: names.append(n)
print(f"\n{'phase':<16} {'ours ops/s':>10} {'ref ops/s':>10} {'ratio':>6} {'p99 ours':>9} {'p99 ref':>9} {'ratio':>6} {'cpu/op ours':>11} {'cpu/op ref':>10} {'ratio':>6}")
for n in names:
    o, r = med(ours, n, "opsPerSecond"), med(ref, n, "opsPerSecond")
    po, pr = med(ours, n, "p99Ms"), med(ref, n, "p99Ms")
    co, cr = med(ours, n, "serverCpuMicrosPerOp"), med(ref, n, "serverCpuMicrosPerOp")
    f = lambda x: "n/a" if x is None else f"{x:.1f}"
    print(f"{n:<16} {f(o):>10} {f(r):>10} {ratio(o, r):>6} {f(po):>9} {f(pr):>9} {ratio(po, pr):>6} {f(co):>11} {f(cr):>10} {ratio(co, cr):>6}")
extras = [("getRepo", "mbPerSecond"), ("getRepo", "ttfbMedianMs"), ("getRepo", "bytes"), ("fill", "recordsPerSecond"),
          ("listRecords16", "recordsPerSecond")]
extras += [(n, k) for n in names if n.startswith("firehose") for k in ("framesPerSecond", "frameLatencyP50Ms", "frameLatencyP99Ms", "deliveredShare")]
extras += [(n, k) for n in names if n.startswith("fanout") for k in ("framesPerSecond", "lastSubscriberFromAckP50Ms", "lastSubscriberFromAckP99Ms",
           "deliveredShare", "serverCpuUsPerFrame", "bytesPerSubscriber")]
extras += [(n, k) for n in names if n.startswith("replay") for k in ("framesPerSecond", "mbPerSecond", "catchUpSeconds")]
def mex(runs, name, key):
    v = [r[name]["extra"][key] for r in runs if name in r and key in r[name].get("extra", {}) and r[name]["extra"][key] is not None]
    return statistics.median(v) if v else None
print(f"\n{'phase.figure':<36} {'ours':>12} {'ref':>12} {'ratio':>6}")
for n, k in extras:
    o, r = mex(ours, n, k), mex(ref, n, k)
    f = lambda x: "n/a" if x is None else f"{x:.1f}"
    print(f"{n + '.' + k:<36} {f(o):>12} {f(r):>12} {ratio(o, r):>6}")
print(f"\nresults: {out}")
PY
