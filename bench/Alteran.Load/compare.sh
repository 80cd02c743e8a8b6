#!/usr/bin/env bash
# Side-by-side: Alteran (JIT, and the AOT binary if artifacts/aot/alteran exists) vs a minimal Kestrel app, same
# load tool, same connection count, same GC settings (workstation, non-concurrent), one after the other.
# Usage: bench/Alteran.Load/compare.sh   (env: CONN=64 DUR=10 WARMUP=3 IDLE=5000 ROUNDS=1)
# ROUNDS>1 repeats the keep-alive runs in rotation (A, K, K-raw, AOT, A, ...) so contention from other jobs on a
# shared machine spreads over all servers; the idle-memory phase runs in the first round only.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONN=${CONN:-64}; DUR=${DUR:-10}; WARMUP=${WARMUP:-3}; IDLE=${IDLE:-5000}; ROUNDS=${ROUNDS:-1}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet build -c Release src/Alteran.Net >/dev/null
dotnet build -c Release bench/Alteran.Kestrel >/dev/null
dotnet build -c Release bench/Alteran.Load >/dev/null
LOAD="dotnet bench/Alteran.Load/bin/Release/net10.0/Alteran.Load.dll"
DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT

wait_ready() { for _ in $(seq 1 100); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server did not start"; return 1; }

run() { # label url command...
  local label=$1 url=$2; shift 2
  "$@" >/dev/null 2>&1 &
  local pid=$!
  wait_ready "$url"
  $LOAD --url "$url" --connections "$CONN" --duration "$DUR" --warmup "$WARMUP" --pid "$pid" --label "$label"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  [ "$IDLE" -gt 0 ] || return 0
  # Idle connections on a fresh process, so RSS growth is not absorbed by heap left over from the load phase.
  "$@" >/dev/null 2>&1 &
  pid=$!
  wait_ready "$url"
  $LOAD --url "$url" --mode idle --idle "$IDLE" --pid "$pid" --label "$label"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

export ALTERAN_MAX_CONNECTIONS_PER_IP=100000 ALTERAN_MAX_CONNECTIONS=100000 ALTERAN_DATA="$DATA" ALTERAN_LOG_LEVEL=Warning
AOT=${AOT:-artifacts/aot/alteran}
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round"
  run alteran http://127.0.0.1:2583/xrpc/_health env ALTERAN_LISTEN=127.0.0.1:2583 dotnet src/Alteran.Net/bin/Release/net10.0/alteran.dll
  run kestrel http://127.0.0.1:5080/xrpc/_health dotnet bench/Alteran.Kestrel/bin/Release/net10.0/Alteran.Kestrel.dll 5080
  run kestrel-raw http://127.0.0.1:5081/xrpc/_health dotnet bench/Alteran.Kestrel/bin/Release/net10.0/Alteran.Kestrel.dll 5081 raw
  if [ -x "$AOT" ]; then
    run alteran-aot http://127.0.0.1:2584/xrpc/_health env ALTERAN_LISTEN=127.0.0.1:2584 "$AOT"
  fi
  IDLE=0
done
