#!/usr/bin/env bash
# How our PDS scales with repo size: for each size (records in ONE repo), a fresh server and data dir, fill with
# applyWrites batches of 200 (Alteran.Load `fill`), then getRepo (CAR time, MB/s), getRecord ×64, createRecord ×1
# and ×16 (in that order, so the getRepo/getRecord figures are at exactly SIZE records); server peak RSS over all
# of it; then a fresh restart on the same store and its idle RSS (no request made) and time to first _health.
#
# Usage: bench/scaling.sh
# Environment (all optional):
#   SIZES="1000 10000 100000"   record counts (1000000 works too: about 5,000 applyWrites; see FILL_RATE_MIN)
#   PHASE_SECONDS=5             per measured phase (getRepo: up to 5 downloads within it, a download in flight finishes)
#   FILL_RATE_MIN=1000          slowest fill rate (records/s) tolerated: the fill is bounded to SIZE/FILL_RATE_MIN + 60 s
#   IDLE_SETTLE=5               seconds after the restarted server answers _health before its RSS is read
#   BIN=path/to/alteran         server binary; default artifacts/aot/alteran if present, else the Release build (JIT)
#   OUT=dir                     results (default $TMPDIR/alteran-scaling-<UTC>): <size>.json per size, scaling.json, scaling.md
#   KEEP_DATA=1                 keep each size's data dir
# Every step is bounded: the load tool by --max-total-seconds, each server start by 120 s (300 s for 1M), the
# whole script by MAX_SCRIPT_SECONDS (default 3600). Loopback only; rate limits are turned off for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SIZES=${SIZES:-"1000 10000 100000"}
PHASE_SECONDS=${PHASE_SECONDS:-5}
FILL_RATE_MIN=${FILL_RATE_MIN:-1000}
IDLE_SETTLE=${IDLE_SETTLE:-5}
MAX_SCRIPT_SECONDS=${MAX_SCRIPT_SECONDS:-3600}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=${OUT:-${TMPDIR:-/tmp}/alteran-scaling-$STAMP}
mkdir -p "$OUT"
log() { echo "[scaling $(date -u +%H:%M:%S)] $*" >&2; }
SCRIPT_START=$(date +%s)

dotnet build -c Release bench/Alteran.Load >/dev/null
LOAD=(dotnet "$ROOT/bench/Alteran.Load/bin/Release/net10.0/Alteran.Load.dll")
if [[ -z ${BIN:-} ]]; then
  if [[ -x artifacts/aot/alteran ]]; then
    BIN=$ROOT/artifacts/aot/alteran
  else
    dotnet build -c Release src/Alteran.Net >/dev/null
    BIN="dotnet $ROOT/src/Alteran.Net/bin/Release/net10.0/alteran.dll"
  fi
fi
log "server: $BIN; sizes: $SIZES; results: $OUT"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

PID=
START_SECONDS=0
start_server() { # data port max_wait_s -> sets PID and START_SECONDS (seconds to first _health)
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  env ALTERAN_DATA="$1" ALTERAN_LISTEN="127.0.0.1:$2" ALTERAN_LOG_LEVEL=Warning PDS_RATE_LIMITS_ENABLED=false \
    ALTERAN_MAX_CONNECTIONS=100000 ALTERAN_MAX_CONNECTIONS_PER_IP=100000 \
    setsid $BIN >>"$1.log" 2>&1 </dev/null &
  PID=$!
  for _ in $(seq 1 $(($3 * 20))); do
    curl -sf "http://127.0.0.1:$2/xrpc/_health" >/dev/null 2>&1 && break
    kill -0 "$PID" 2>/dev/null || { log "server exited; log:"; tail -20 "$1.log" >&2; return 1; }
    sleep 0.05
  done
  curl -sf "http://127.0.0.1:$2/xrpc/_health" >/dev/null || { log "server did not answer within $3 s"; return 1; }
  t1=$(date +%s.%N)
  START_SECONDS=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
}

stop_server() { # graceful, then bounded wait, then KILL (only our own pid)
  [[ -z $PID ]] && return 0
  kill -TERM "$PID" 2>/dev/null || true
  for _ in $(seq 1 600); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  PID=
}
trap stop_server EXIT

for size in $SIZES; do
  elapsed=$(( $(date +%s) - SCRIPT_START ))
  if (( elapsed > MAX_SCRIPT_SECONDS )); then log "MAX_SCRIPT_SECONDS reached; skipping $size"; continue; fi
  data=$(mktemp -d -t alteran-scaling.XXXXXX)
  port=$(free_port)
  wait_s=$(( size >= 1000000 ? 300 : 120 ))
  start_server "$data" "$port" "$wait_s"
  read -r handle password < <(python3 - "$data/secrets.json" <<'PY'
import json, sys
d = {k.lower(): v for k, v in json.load(open(sys.argv[1])).items()}
print(d["handle"], d["password"])
PY
)
  fill_s=$(( size / FILL_RATE_MIN + 60 ))
  total_s=$(( fill_s + 8 * PHASE_SECONDS + 300 ))
  log "size $size: pid $PID port $port, fill bound ${fill_s}s, run bound ${total_s}s (load average $(cut -d' ' -f1 /proc/loadavg))"
  "${LOAD[@]}" --target "http://127.0.0.1:$port" --handle "$handle" --password "$password" --server-pid "$PID" \
    --label "scaling-$size" --out "$OUT/$size.json" --phases login,fill,getRepo,getRecord,create1,create16 \
    --fill-records "$size" --fill-seconds "$fill_s" --phase-seconds "$PHASE_SECONDS" --max-total-seconds "$total_s" \
    --max-ops 1000000 >"$OUT/$size.txt" 2>&1 || log "load tool failed for $size (see $OUT/$size.txt)"
  stop_server
  du_kb=$(du -sk "$data" | cut -f1)
  start_server "$data" "$port" "$wait_s"
  restart_s=$START_SECONDS
  sleep "$IDLE_SETTLE"
  idle_kb=$(rss_kb "$PID")
  stop_server
  python3 - "$OUT/$size.json" "$size" "$restart_s" "$idle_kb" "$du_kb" <<'PY'
import json, sys
path, size, restart, idle_kb, du_kb = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
try:
    d = json.load(open(path))
except (OSError, ValueError):
    d = {"phases": []}
d["scaling"] = {"records": size, "restartToHealthSeconds": restart, "idleRssBytesAfterRestart": idle_kb * 1024, "dataDirBytes": du_kb * 1024}
json.dump(d, open(path, "w"), indent=2)
PY
  if [[ -n ${KEEP_DATA:-} ]]; then log "kept $data"; else rm -rf "$data" "$data.log"; fi
done

python3 - "$OUT" $SIZES <<'PY'
import json, os, sys
out, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
rows = []
for size in sizes:
    p = os.path.join(out, f"{size}.json")
    if not os.path.exists(p):
        continue
    d = json.load(open(p))
    ph = {x["name"]: x for x in d.get("phases", [])}
    def get(name, key, extra=False):
        x = ph.get(name)
        if not x or "skipped" in x: return None
        return (x.get("extra", {}) if extra else x).get(key)
    peak = max([x.get("serverPeakRssBytes", 0) or 0 for x in d.get("phases", [])] + [0])
    s = d.get("scaling", {})
    rows.append({
        "records": size,
        "fillRecordsPerSecond": get("fill", "recordsPerSecond", True),
        "filledRecords": get("fill", "records", True),
        "create1PerSecond": get("create1", "opsPerSecond"), "create1P99Ms": get("create1", "p99Ms"),
        "create16PerSecond": get("create16", "opsPerSecond"), "create16P99Ms": get("create16", "p99Ms"),
        "getRecordPerSecond": get("getRecord", "opsPerSecond"), "getRecordP99Ms": get("getRecord", "p99Ms"),
        "getRepoMedianMs": get("getRepo", "medianMs", True), "getRepoMBPerSecond": get("getRepo", "mbPerSecond", True),
        "getRepoBytes": get("getRepo", "bytes", True), "getRepoBlocks": get("getRepo", "carBlocks", True),
        "serverPeakRssBytes": peak,
        "idleRssBytesAfterRestart": s.get("idleRssBytesAfterRestart"),
        "restartToHealthSeconds": s.get("restartToHealthSeconds"),
        "dataDirBytes": s.get("dataDirBytes"),
        "loadAverage1": max([x.get("loadAverage1", 0) or 0 for x in d.get("phases", [])] + [0]),
        "errors": sum((x.get("errors", 0) or 0) for x in d.get("phases", [])),
    })
json.dump({"rows": rows}, open(os.path.join(out, "scaling.json"), "w"), indent=2)
def f(v, fmt="{:,.0f}"):
    return "n/a" if v is None else fmt.format(v)
mib = lambda b: None if b is None else b / 1048576
lines = ["| records | fill rec/s | createRecord ×1 /s (p99 ms) | ×16 /s (p99 ms) | getRecord ×64 /s (p99 ms) | getRepo ms (MB/s, MB) | peak RSS MiB | idle RSS after restart MiB | restart s | data MiB | errors | load1 |",
         "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for r in rows:
    lines.append(f"| {r['records']:,} | {f(r['fillRecordsPerSecond'])} | {f(r['create1PerSecond'])} ({f(r['create1P99Ms'], '{:.1f}')}) | "
                 f"{f(r['create16PerSecond'])} ({f(r['create16P99Ms'], '{:.1f}')}) | {f(r['getRecordPerSecond'])} ({f(r['getRecordP99Ms'], '{:.1f}')}) | "
                 f"{f(r['getRepoMedianMs'], '{:.1f}')} ({f(r['getRepoMBPerSecond'], '{:.0f}')}, {f(None if r['getRepoBytes'] is None else r['getRepoBytes'] / 1e6, '{:.1f}')}) | "
                 f"{f(mib(r['serverPeakRssBytes']), '{:.0f}')} | {f(mib(r['idleRssBytesAfterRestart']), '{:.1f}')} | {f(r['restartToHealthSeconds'], '{:.2f}')} | "
                 f"{f(mib(r['dataDirBytes']), '{:.1f}')} | {r['errors']} | {r['loadAverage1']:.1f} |")
md = "\n".join(lines)
open(os.path.join(out, "scaling.md"), "w").write(md + "\n")
print(md)
print(f"\nresults: {out}")
PY
