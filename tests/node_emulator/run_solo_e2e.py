#!/usr/bin/env python3
"""Solo mining end to end: `nonceforge mine --solo` against the node emulator.

Starts tests/node_emulator/node_emulator.py (cookie auth, a regtest payout address, a stats
file), runs

  NONCEFORGE mine --solo http://127.0.0.1:PORT --rpc-cookie COOKIE --coinbase-addr ADDR
             --duration SECONDS -t 1 --no-api [EXTRA ...]

(--no-api: the default API port 4048 would clash between tests run in parallel.)

and requires: the miner exits 0, the emulator accepted at least one block (--min-blocks) and
rejected none. Prints the emulator's stats (JSON) and, on failure, the logs of both.

Usage: run_solo_e2e.py --nonceforge PATH [--seconds 8] [--min-blocks 1] [--allow-stale]
                       [--emulator-args "..."] [--extra-args ARG ...]
Exit status: 0 pass, 1 a check failed, 2 bad usage or the emulator did not start.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "node_emulator.py")
PAYOUT = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"


def tail(path: str, n: int = 40) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError as e:
        return f"({e})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nonceforge", required=True, help="the nonceforge binary")
    ap.add_argument("--seconds", type=float, default=8.0, help="the miner's --duration")
    ap.add_argument("--min-blocks", type=int, default=1, help="blocks the emulator must accept")
    ap.add_argument("--allow-stale", action="store_true",
                    help="do not count valid blocks on an old tip (\"inconclusive\") as rejected")
    ap.add_argument("--emulator-args", default="",
                    help="more options for the emulator, one shell-quoted string "
                         "(e.g. \"--block-interval 3 --template-block 300025\")")
    ap.add_argument("--extra-args", nargs=argparse.REMAINDER, default=[],
                    help="everything after this goes to `nonceforge mine`")
    args = ap.parse_args()
    if not os.access(args.nonceforge, os.X_OK):
        print(f"run_solo_e2e: {args.nonceforge} is not an executable", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="solo_e2e.") as d:
        port_file = os.path.join(d, "port")
        cookie = os.path.join(d, ".cookie")
        stats_file = os.path.join(d, "stats.json")
        emu_log = os.path.join(d, "emulator.log")
        miner_log = os.path.join(d, "miner.log")
        emu_cmd = [sys.executable, EMULATOR, "--port-file", port_file, "--cookie-file", cookie,
                   "--payout-address", PAYOUT, "--stats-file", stats_file,
                   *shlex.split(args.emulator_args)]
        with open(emu_log, "w") as log:
            emu = subprocess.Popen(emu_cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 15
            while not os.path.exists(port_file):
                if emu.poll() is not None or time.monotonic() > deadline:
                    print("run_solo_e2e: the emulator did not start:\n" + tail(emu_log), file=sys.stderr)
                    return 2
                time.sleep(0.05)
            with open(port_file) as f:
                port = int(f.read())
            miner_cmd = [args.nonceforge, "mine", "--solo", f"http://127.0.0.1:{port}",
                         "--rpc-cookie", cookie, "--coinbase-addr", PAYOUT,
                         "--duration", f"{args.seconds:g}", "-t", "1", "--no-api", *args.extra_args]
            print("run_solo_e2e: " + shlex.join(miner_cmd), file=sys.stderr)
            with open(miner_log, "w") as log:
                try:
                    rc = subprocess.run(miner_cmd, stdout=log, stderr=subprocess.STDOUT,
                                        timeout=args.seconds + 60).returncode
                except subprocess.TimeoutExpired:
                    rc = "timeout"
        finally:
            if emu.poll() is None:
                emu.terminate()
                try:
                    emu.wait(15)
                except subprocess.TimeoutExpired:
                    emu.kill()
                    emu.wait()
        try:
            with open(stats_file) as f:
                stats = json.load(f)
        except (OSError, ValueError) as e:
            print(f"run_solo_e2e: no stats from the emulator ({e})", file=sys.stderr)
            stats = None
        print(json.dumps({"miner_exit": rc, "emulator_exit": emu.returncode, "stats": stats}, indent=1))
        failures = []
        if rc != 0:
            failures.append(f"nonceforge exited {rc}, not 0")
        if emu.returncode != 0:
            failures.append(f"the emulator exited {emu.returncode}, not 0")
        if stats is None:
            failures.append("no stats file")
        else:
            if stats["accepted"] < args.min_blocks:
                failures.append(f"{stats['accepted']} block(s) accepted, wanted at least {args.min_blocks}")
            rejected = stats["rejected"] - (stats.get("stale", 0) if args.allow_stale else 0)
            if rejected != 0:
                failures.append(f"{rejected} block(s) rejected: {stats['reasons']}")
            if stats["templates"] < 1:
                failures.append("the miner never asked for a template")
        if failures:
            for f in failures:
                print("run_solo_e2e: FAIL: " + f, file=sys.stderr)
            print("--- miner log (tail)\n" + tail(miner_log), file=sys.stderr)
            print("--- emulator log (tail)\n" + tail(emu_log), file=sys.stderr)
            return 1
        print(f"run_solo_e2e: PASS: {stats['accepted']} block(s) accepted, none rejected, "
              f"{stats['templates']} template(s), {stats['longpolls_answered']} long poll(s) answered",
              file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
