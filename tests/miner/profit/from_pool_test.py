"""`nonceforge profit --from-pool` against the embedded test pool: its job (difficulty 1 at
height 900,000) cannot be mainnet's, so the estimate carries a warning on stderr and in JSON.

usage: from_pool_test.py NONCEFORGE TESTS_DIR
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(sys.argv[2], "miner", "app"))
from local_pool import LocalPool  # noqa: E402


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main():
    binary = sys.argv[1]
    base = ["profit", "--hashrate", "100T", "--power", "3kW", "--electricity-price", "0.05",
            "--btc-price", "100k"]
    with LocalPool(binary, "--job-interval", "0", "--block-interval", "0") as pool:
        table = subprocess.run([binary, *base, "--from-pool", pool.url, "--timeout", "15"],
                               capture_output=True, text=True, timeout=60)
        if table.returncode != 0:
            fail(f"exit {table.returncode}: {table.stderr}")
        warning = ("nonceforge profit: warning: the pool's job is not Bitcoin mainnet's: network "
                   "difficulty 1 is far below mainnet's at height 900000")
        if (warning not in table.stderr or
                "the figures are for a test network, not meaningful money" not in table.stderr):
            fail(f"no test-network warning on stderr:\n{table.stderr}")
        if "network difficulty       1.00 (1)" not in table.stdout:
            fail(f"the table does not show the pool's difficulty:\n{table.stdout}")
        if "break-even BTC price" not in table.stdout:
            fail("no break-even BTC price in the table")

        js = subprocess.run([binary, *base, "--from-pool", pool.url, "--timeout", "15", "--json"],
                            capture_output=True, text=True, timeout=60)
        if js.returncode != 0:
            fail(f"--json exit {js.returncode}: {js.stderr}")
        report = json.loads(js.stdout)
        if "far below mainnet's" not in (report.get("network_warning") or ""):
            fail(f"network_warning in JSON: {report.get('network_warning')!r}")
        if report["inputs"]["height"] != 900000 or report["inputs"]["network_difficulty"] != 1:
            fail(f"inputs: {report['inputs']}")
        if warning not in js.stderr:
            fail(f"no warning on stderr with --json:\n{js.stderr}")
    print("PASS")


if __name__ == "__main__":
    main()
