#!/usr/bin/env python3
"""A stand-in for `nonceforge mine --solo` that exercises run_solo_e2e.py in the self-test:
it takes the same command line, asks the node for templates, builds blocks with the
self-test's block builder and submits them until --duration runs out. Exit 0 when every
submission was accepted, 1 otherwise."""

import argparse
import base64
import http.client
import json
import sys
import time
import urllib.parse

import node_emulator
import node_emulator_test


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["mine"])
    ap.add_argument("--solo", required=True)
    ap.add_argument("--rpc-cookie", required=True)
    ap.add_argument("--coinbase-addr", required=True)
    ap.add_argument("--duration", type=float, required=True)
    ap.add_argument("-t", type=int, default=1)
    ap.add_argument("--no-api", action="store_true")
    ap.add_argument("--blocks", type=int, default=3, help="stop after this many blocks")
    args = ap.parse_args()
    url = urllib.parse.urlsplit(args.solo)
    with open(args.rpc_cookie) as f:
        auth = "Basic " + base64.b64encode(f.read().strip().encode()).decode()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)

    def call(method, *params):
        conn.request("POST", "/", json.dumps({"jsonrpc": "2.0", "id": 1, "method": method,
                                              "params": list(params)}),
                     {"Authorization": auth, "Content-Type": "application/json"})
        reply = json.loads(conn.getresponse().read())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    script = node_emulator.address_to_script(args.coinbase_addr)
    end = time.monotonic() + args.duration
    ok = True
    for _ in range(args.blocks):
        if time.monotonic() >= end:
            break
        t = call("getblocktemplate", {"rules": ["segwit"]})
        result = call("submitblock", node_emulator_test.build_block(t, pay_script=script).hex())
        print(f"block at height {t['height']}: {result or 'accepted'}")
        ok = ok and result is None
    conn.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
