#!/usr/bin/env python3
"""The emulator next to a real Bitcoin Core (regtest): the same requests to both, the answers
compared byte for byte (HTTP status and body) for the JSON-RPC shapes, and reason for reason for
submitblock on blocks broken one way each (built by the self-test's block builder on each
node's own template, with no transactions).

Usage: compare_with_core.py --bitcoind PATH [--bitcoin-cli PATH]
Needs a bitcoind binary (not part of this project; not run by CTest). Exit 0 when the only
differences are the known ones listed in KNOWN_DIFFERENCES, 1 otherwise, 2 when bitcoind
does not start.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from node_emulator_test import PAYOUT, Emulator, build_block  # noqa: E402

# Where the emulator differs from Core 29 on purpose or by simplification.
KNOWN_DIFFERENCES = {
    # Core reuses the previous element's id and version for a batch element that is not an
    # object; the emulator answers it as JSON-RPC 1.0 with "id": null.
    "batch-with-non-object",
    # Core ignores bytes after the block; the emulator refuses them (-22 Block decode failed).
    "submit:trailing",
}

SHAPES = {
    "v1-unknown-method": {"id": 1, "method": "nosuch"},
    "v2-unknown-method": {"jsonrpc": "2.0", "id": 1, "method": "nosuch"},
    "v2-notification": {"jsonrpc": "2.0", "method": "getblockcount"},
    "v1-no-segwit-rule": {"id": 4, "method": "getblocktemplate", "params": [{}]},
    "v2-no-segwit-rule": {"jsonrpc": "2.0", "id": 4, "method": "getblocktemplate", "params": [{"rules": []}]},
    "v2-bad-longpollid": {"jsonrpc": "2.0", "id": 4, "method": "getblocktemplate",
                          "params": [{"rules": ["segwit"], "longpollid": "zz"}]},
    "v1-decode-failed": {"id": "x", "method": "submitblock", "params": ["00"]},
    "v1-not-hex": {"id": "x", "method": "submitblock", "params": ["0g"]},
    "v3": {"jsonrpc": "3.0", "id": 1, "method": "getblockcount"},
    "batch-with-non-object": [{"id": 1, "method": "getbestblockhash"},
                              {"jsonrpc": "2.0", "id": 2, "method": "nosuch"}, 5],
    "empty-batch": [],
    "not-json": b"{bad",
    "top-level-number": b"5",
    "params-not-array": {"id": 1, "method": "getblockcount", "params": 5},
    "missing-method": {"id": 1},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port: int, body, auth: str | None) -> tuple[int, str]:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    c.request("POST", "/", body=body if isinstance(body, bytes) else json.dumps(body), headers=headers)
    r = c.getresponse()
    data = r.read().decode()
    c.close()
    return r.status, data


def call(port: int, auth: str, method: str, *params):
    _, data = post(port, {"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}, auth)
    reply = json.loads(data)
    return reply["result"] if "result" in reply else reply["error"]


def submit_cases(port: int, auth: str) -> dict:
    t = call(port, auth, "getblocktemplate", {"rules": ["segwit"]})
    cases = {
        "bad-merkle": dict(bad_merkle=True), "bad-height": dict(height=t["height"] + 1),
        "value+1": dict(extra_value=1), "bad-commitment": dict(bad_commitment=True),
        "reserved-31-bytes": dict(reserved=b"\0" * 31), "high-hash": dict(high_hash=True),
        "bits": dict(bits="207ffffe"), "time-old": dict(time_=t["mintime"] - 1),
        "time-new": dict(time_=int(time.time()) + 7300), "version-3": dict(version=3),
    }
    out = {k: call(port, auth, "submitblock", build_block(t, **kw).hex()) for k, kw in cases.items()}
    out["unknown-prev"] = call(port, auth, "submitblock",
                               build_block(dict(t, previousblockhash="11" * 32)).hex())
    good = build_block(t)
    out["good"] = call(port, auth, "submitblock", good.hex())
    out["again"] = call(port, auth, "submitblock", good.hex())
    out["stale"] = call(port, auth, "submitblock", build_block(t).hex())
    t2 = call(port, auth, "getblocktemplate", {"rules": ["segwit"]})
    out["trailing"] = call(port, auth, "submitblock", build_block(t2).hex() + "00")
    out["template-keys"] = sorted(k for k in t if k != "vbavailable")
    out["template-height-advanced"] = t2["height"] == t["height"] + 1 or out["trailing"] is None
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bitcoind", required=True)
    ap.add_argument("--bitcoin-cli")
    args = ap.parse_args()
    cli = args.bitcoin_cli or os.path.join(os.path.dirname(args.bitcoind), "bitcoin-cli")
    with tempfile.TemporaryDirectory(prefix="compare_core.") as d:
        port = free_port()
        core = subprocess.Popen([args.bitcoind, "-regtest", f"-datadir={d}", f"-rpcport={port}",
                                 f"-port={free_port()}", "-listen=0", "-printtoconsole=0"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        emu = Emulator("--cookie-file", "COOKIE_PLACEHOLDER", "--template-block", "empty")
        try:
            cookie_path = os.path.join(d, "regtest", ".cookie")
            deadline = time.monotonic() + 60
            while True:
                try:
                    with open(cookie_path) as f:
                        cookie = f.read()
                    if isinstance(call(port, cookie, "getblockcount"), int):
                        break
                except (OSError, ValueError, KeyError):
                    pass
                if core.poll() is not None or time.monotonic() > deadline:
                    print("compare_with_core: bitcoind did not start", file=sys.stderr)
                    return 2
                time.sleep(0.2)
            subprocess.run([cli, "-regtest", f"-datadir={d}", f"-rpcport={port}", "generatetoaddress",
                            "200", PAYOUT], check=True, stdout=subprocess.DEVNULL)
            diffs = []
            for name, body in SHAPES.items():
                a, b = post(port, body, cookie), post(emu.port, body, emu.auth)
                same = a == b
                print(f"{'same' if same else 'DIFF'} {name}")
                if not same:
                    print(f"  core: {a}\n  emu:  {b}")
                    diffs.append(name)
            for name, auth in (("wrong-cookie", "__cookie__:00"), ("no-auth", None)):
                a, b = post(port, SHAPES["v1-unknown-method"], auth)[0], \
                    post(emu.port, SHAPES["v1-unknown-method"], auth)[0]
                print(f"{'same' if a == b else 'DIFF'} {name}: HTTP {a} / {b}")
                if a != b:
                    diffs.append(name)
            rc, re_ = submit_cases(port, cookie), submit_cases(emu.port, emu.auth)
            for k in rc:
                same = rc[k] == re_[k]
                print(f"{'same' if same else 'DIFF'} submit:{k}: core {rc[k]!r} emu {re_[k]!r}")
                if not same:
                    diffs.append(f"submit:{k}")
        finally:
            emu.close()
            core.terminate()
            try:
                core.wait(30)
            except subprocess.TimeoutExpired:
                core.kill()
                core.wait()
    unexpected = [x for x in diffs if x not in KNOWN_DIFFERENCES]
    print(f"compare_with_core: {len(diffs)} difference(s), unexpected: {unexpected or 'none'}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
