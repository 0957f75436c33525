#!/usr/bin/env python3
"""Solo mining on a node through the built binary: the options and their checks, and runs
against tests/node_emulator/node_emulator.py (an independent Bitcoin Core RPC emulator that
validates every block): warm-up, credentials, a payout address of another network, rejected
blocks, a node that comes up late, keep-alive connections the node closes, --blocks-dir and
--solo-share-difficulty."""

import glob
import http.client
import json
import re
import shutil
import os
import socket
import subprocess
import sys
import time
import unittest

from cli_support import REPO, CliTest, LineWatcher, run, start, unwrap_log

EMULATOR = os.path.join(REPO, "tests", "node_emulator", "node_emulator.py")
REGTEST_ADDR = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
MAINNET_ADDR = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
NODE = "http://127.0.0.1:1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    """The node emulator on 127.0.0.1 for one test; stats() reads its counts at the end."""

    def __init__(self, tmp, *args, port=None, cookie=True, start=True):
        self.tmp = tmp
        self.port_file = os.path.join(tmp, "emu.port")
        self.cookie = os.path.join(tmp, "emu.cookie")
        self.stats_file = os.path.join(tmp, "emu.stats.json")
        self.log = os.path.join(tmp, "emu.log")
        self.cmd = [sys.executable, EMULATOR, "--port-file", self.port_file,
                    "--stats-file", self.stats_file, "--payout-address", REGTEST_ADDR]
        if cookie:
            self.cmd += ["--cookie-file", self.cookie]
        if port:
            self.cmd += ["--port", str(port)]
        self.cmd += list(args)
        self.proc = None
        if start:
            self.start()

    def solo_args(self, address=REGTEST_ADDR):
        """The miner's options for this node with its cookie, paying to `address`."""
        return ["--solo", self.url, "--rpc-cookie", self.cookie, "--coinbase-addr", address]

    def start(self):
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(self.cmd, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the emulator did not start:\n" + open(self.log).read())
            time.sleep(0.05)
        time.sleep(0.05)
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.url = "http://127.0.0.1:%d" % self.port

    def stats(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(15)
        with open(self.stats_file) as f:
            return json.load(f)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def mine(args, seconds=4, timeout=60):
    return run(["mine", "-t", "1", "--no-api", "--duration", str(seconds)] + list(args),
               timeout=timeout)


class SoloOptions(CliTest):
    def test_bad_solo_input_is_one_line_and_exit_2(self):
        cases = [
            (["-o", "http://127.0.0.1:8332"], ["-o/--url", "--coinbase-addr"]),
            (["--solo", "http://127.0.0.1:8332"], ["--solo", "--coinbase-addr"]),
            (["--coinbase-addr", REGTEST_ADDR], ["--coinbase-addr", "solo"]),
            (["--rpc-cookie", "/tmp/x"], ["--rpc-cookie", "solo"]),
            (["--solo", "https://127.0.0.1:8332", "--coinbase-addr", REGTEST_ADDR],
             ["--solo", "http://"]),
            (["--solo", "http://127.0.0.1:99999", "--coinbase-addr", REGTEST_ADDR],
             ["--solo", "bad port"]),
            (["--solo", NODE, "-o", "http://127.0.0.1:2", "--coinbase-addr", REGTEST_ADDR],
             ["--solo", "-o/--url"]),
            (["--solo", NODE, "-o", "stratum+tcp://127.0.0.1:2", "--coinbase-addr",
              REGTEST_ADDR], ["--solo", "-o/--url"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--backup-url",
              "stratum+tcp://127.0.0.1:3"], ["--backup-url", "pools"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--tls-insecure"],
             ["--tls-insecure", "pools"]),
            (["--solo", NODE, "--coinbase-addr", "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081"],
             ["--coinbase-addr"]),
            (["--solo", NODE, "--coinbase-addr", "hello"], ["--coinbase-addr"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--solo-share-difficulty", "nan"],
             ["--solo-share-difficulty"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--solo-share-difficulty", "0"],
             ["--solo-share-difficulty"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--solo-share-difficulty=-1"],
             ["--solo-share-difficulty"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--template-refresh", "inf"],
             ["--template-refresh"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--template-refresh", "0.5"],
             ["--template-refresh", ">= 1"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--coinbase-sig", "x" * 65],
             ["--coinbase-sig", "64"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--rpc-user", "u"],
             ["--rpc-user", "--rpc-pass"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--rpc-cookie", "/"],
             ["--rpc-cookie", "cannot read"]),
            (["--solo", NODE, "--coinbase-addr", REGTEST_ADDR, "--blocks-dir",
              "/nonexistent-folder/blocks"], ["--blocks-dir", "not a directory"]),
        ]
        for args, needles in cases:
            with self.subTest(args=" ".join(args)):
                self.assertUsageError(run(["mine"] + args), *needles)

    def test_print_config_shows_the_node_without_secrets(self):
        cfg = self.print_config(["-o", "http://alice:hunter2@127.0.0.1:18443", "--coinbase-addr",
                                 REGTEST_ADDR, "--solo-share-difficulty", "0.5",
                                 "--template-refresh", "10", "--coinbase-sig", "/rig1/"])
        self.assertEqual(cfg["pools"], [])
        solo = cfg["solo"]
        self.assertEqual(solo["node"], "http://127.0.0.1:18443")
        self.assertEqual(solo["coinbase_addr"], REGTEST_ADDR)
        self.assertEqual(solo["share_difficulty"], 0.5)
        self.assertEqual(solo["template_refresh_seconds"], 10)
        self.assertEqual(solo["coinbase_sig"], "/rig1/")
        self.assertTrue(solo["rpc_pass_set"])
        self.assertNotIn("hunter2", json.dumps(cfg))
        self.assertIsNone(self.print_config([])["solo"])

    def test_cpuminer_style_user_and_pass_are_the_rpc_credentials(self):
        cfg = self.print_config(["-o", "http://127.0.0.1:8332", "-u", "rpcuser", "-p", "rpcpw",
                                 "--coinbase-addr", MAINNET_ADDR])
        self.assertEqual(cfg["solo"]["rpc_user"], "rpcuser")
        self.assertTrue(cfg["solo"]["rpc_pass_set"])


class SoloMining(CliTest):
    def test_warm_up_is_waited_for_then_every_block_is_accepted(self):
        blocks = self.path("blocks")
        os.mkdir(blocks)
        with Emulator(self.tmp, "--warmup-seconds", "2") as emu:
            r = mine(emu.solo_args() + ["--blocks-dir", blocks], seconds=6)
            stats = emu.stats()
        log = unwrap_log(r.err)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("RPC error -28", log)
        self.assertGreaterEqual(stats["accepted"], 1, stats)
        self.assertEqual(stats["rejected"], 0, stats)
        # Every block the emulator accepted was written first, and the summary agrees.
        self.assertEqual(len(glob.glob(os.path.join(blocks, "*.hex"))), stats["accepted"])
        self.assertIn("blocks %d accepted, 0 rejected" % stats["accepted"], r.out)

    def test_a_block_the_node_never_answered_is_stale_once_the_tip_moves(self):
        # The first submitblock gets no answer for 4 s, and another miner's block moves the tip
        # meanwhile: that block is given up as stale (not lost, not accepted), and the blocks
        # after the outage are accepted.
        with Emulator(self.tmp, "--outage-on-submit", "4") as emu:
            r = mine(emu.solo_args(), seconds=10)
            stats = emu.stats()
        log = unwrap_log(r.err)
        self.assertEqual(r.rc, 0, r)
        self.assertGreaterEqual(stats.get("outage_requests", 0), 1, stats)
        self.assertRegex(log, r"given up: the tip moved (before the node answered|while the node was unreachable)")
        self.assertGreaterEqual(stats["accepted"], 1, stats)
        self.assertEqual(stats["rejected"], 0, stats)
        # The block in flight is stale; so may be a second one found on the same tip before
        # the hold reached every backend ("a block of ours at this height was already sent").
        m = re.search(r"blocks (\d+) accepted, 0 rejected, (\d+) stale", r.out)
        self.assertIsNotNone(m, r.out)
        self.assertEqual(int(m.group(1)), stats["accepted"], r.out)
        self.assertGreaterEqual(int(m.group(2)), 1, r.out)
        self.assertIn("lost 0", r.out)

    def test_a_chain_far_ahead_of_the_clock_pauses_mining(self):
        # Ancestors 10 minutes apart ending 9,000 s in the future: the median time past runs
        # about 5,400 s ahead, beyond the miner's hour, so no block is mined or sent (the node
        # would refuse one more than 2 hours ahead) and the pause is said once.
        with Emulator(self.tmp, "--time-ahead", "9000") as emu:
            r = mine(emu.solo_args(), seconds=4)
            stats = emu.stats()
        log = unwrap_log(r.err)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(log.count("mining paused until it is less than 3600 s ahead"), 1, log)
        self.assertNotIn("block found", log)
        self.assertEqual((stats["accepted"], stats["rejected"]), (0, 0), stats)
        self.assertIn("blocks 0 accepted, 0 rejected", r.out)

    def test_rpc_user_and_password_through_the_url_and_as_cpuminer_flags(self):
        with Emulator(self.tmp, "--rpc-user", "alice", "--rpc-pass", "pw", cookie=False) as emu:
            r = mine(["-o", "http://alice:pw@127.0.0.1:%d" % emu.port, "--coinbase-addr",
                      REGTEST_ADDR], seconds=3)
            r2 = mine(["-o", emu.url, "-u", "alice", "-p", "pw", "--coinbase-addr",
                       REGTEST_ADDR], seconds=3)
            stats = emu.stats()
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r2.rc, 0, r2)
        self.assertNotIn("pw@", r.err)
        self.assertGreaterEqual(stats["accepted"], 2, stats)
        self.assertEqual(stats["rejected"], 0, stats)

    def test_bad_credentials_exit_2(self):
        with Emulator(self.tmp) as emu:
            wrong = self.path("wrong.cookie")
            with open(wrong, "w") as f:
                f.write("__cookie__:0000\n")
            r = mine(["--solo", emu.url, "--rpc-cookie", wrong, "--coinbase-addr", REGTEST_ADDR])
        self.assertEqual(r.rc, 2, r)
        last = r.err_lines()[-1]
        self.assertTrue(last.startswith("nonceforge: "), r)
        self.assertIn("HTTP 401", last)
        self.assertNotIn("0000\n", r.err)

    def test_an_address_of_another_network_exits_2(self):
        with Emulator(self.tmp) as emu:
            r = mine(emu.solo_args(MAINNET_ADDR))
        self.assertEqual(r.rc, 2, r)
        last = r.err_lines()[-1]
        self.assertIn("--coinbase-addr", last)
        self.assertIn("regtest", last)

    def test_rejected_blocks_get_the_nodes_reason(self):
        with Emulator(self.tmp, "--reject-all", "bad-txnmrklroot") as emu:
            r = mine(emu.solo_args(), seconds=3)
            stats = emu.stats()
        self.assertEqual(r.rc, 0, r)
        self.assertGreaterEqual(stats["rejected"], 1, stats)
        self.assertIn("rejected by the node: bad-txnmrklroot", unwrap_log(r.err))
        self.assertIn("rejected: bad-txnmrklroot x", r.out)
        self.assertIn("0 accepted, %d rejected" % stats["rejected"], r.out)

    def test_a_node_that_comes_up_late_and_closes_idle_connections(self):
        port = free_port()
        emu = Emulator(self.tmp, "--idle-timeout", "0.3", "--block-interval", "1",
                       "--rpc-user", "u", "--rpc-pass", "p", port=port, cookie=False, start=False)
        with emu:
            miner = subprocess.Popen(
                [os.environ["NONCEFORGE"], "mine", "-t", "1", "--no-api", "--duration", "8",
                 "--solo", "http://127.0.0.1:%d" % port, "--rpc-user", "u", "--rpc-pass", "p",
                 "--coinbase-addr", REGTEST_ADDR],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(2.5)
            emu.start()
            out, err = miner.communicate(timeout=60)
            stats = emu.stats()
        log = unwrap_log(err)
        self.assertEqual(miner.returncode, 0, log)
        self.assertIn("cannot reach the node", log)
        self.assertIn("connection refused", log)
        self.assertGreaterEqual(stats["accepted"], 1, stats)
        self.assertEqual(stats["rejected"] - stats.get("stale", 0), 0, stats)
        self.assertIn("(clean)", log)  # the other miner's blocks restarted the work

    def test_with_a_share_difficulty_every_share_still_has_the_nodes_verdict_on_regtest(self):
        # Regtest's network difficulty (4.7e-10) is below any share difficulty: every share is
        # a block, so none is a local statistics share; each is sent or stale (a sibling).
        with Emulator(self.tmp) as emu:
            r = mine(emu.solo_args() + ["--solo-share-difficulty", "0.0001", "--json-summary",
                                        self.path("s.json")], seconds=3)
            stats = emu.stats()
        self.assertEqual(r.rc, 0, r)
        with open(self.path("s.json")) as f:
            summary = json.load(f)
        shares = summary["total"]["shares"]
        solo = summary["solo"]
        self.assertEqual(solo["blocks_accepted"], stats["accepted"])
        self.assertEqual(stats["rejected"], 0)
        self.assertEqual(shares["accepted"], stats["accepted"])
        self.assertEqual(shares["rejected"], 0)
        self.assertEqual(shares["blocks"], shares["found"])
        self.assertEqual(shares["found"], shares["accepted"] + shares["stale"] + shares["lost"])
        self.assertEqual(solo["blocks_submitted"], stats["accepted"])
        # Stale: siblings of a sent block (not sent), and shares the miner found after their
        # job was replaced.
        self.assertGreaterEqual(shares["stale"], solo["blocks_stale"])


if __name__ == "__main__":
    unittest.main()


class SoloMonitoring(CliTest):
    """What /api/v1/summary and the dashboard show while mining solo on the emulator."""

    def mine_with_api(self, emu, seconds=60):
        proc = start(["mine", "-t", "1", "--duration", str(seconds), "--api-bind", "127.0.0.1:0"]
                     + emu.solo_args())
        err = LineWatcher(proc.stderr)
        m = err.wait_for(r"API: dashboard and JSON at http://127\.0\.0\.1:(\d+)", 30)
        if not m:
            proc.kill()
            proc.wait()
            raise AssertionError("no API line:\n" + "\n".join(err.lines))
        return proc, err, int(m.group(1))

    def summary(self, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/v1/summary")
        r = conn.getresponse()
        body = r.read()
        conn.close()
        self.assertEqual(r.status, 200, body)
        return json.loads(body)

    def test_the_summary_and_the_dashboard_show_the_node_and_its_blocks(self):
        with Emulator(self.tmp) as emu:
            proc, err, port = self.mine_with_api(emu)
            try:
                self.assertIsNotNone(err.wait_for(r"accepted by the node", 30), "\n".join(err.lines))
                deadline = time.monotonic() + 20
                solo = None
                while time.monotonic() < deadline:
                    summary = self.summary(port)
                    solo = summary["solo"]
                    if solo and solo["blocks_accepted"] >= 1 and summary["hashrate_5s"] > 0:
                        break
                    time.sleep(0.3)
                self.assertEqual(solo["chain"], "regtest", solo)
                self.assertGreaterEqual(solo["blocks_accepted"], 1, solo)
                self.assertEqual(solo["blocks_rejected"], 0, solo)
                self.assertRegex(solo["last_block_hash"], r"^[0-9a-f]{64}$")
                self.assertGreater(solo["network_difficulty"], 0)
                chromium = os.environ.get("NF_CHROMIUM") or shutil.which("chromium") or \
                    shutil.which("chromium-browser")
                if not chromium:
                    self.skipTest("chromium is not installed (apt-get install chromium): the "
                                  "summary was checked, the dashboard was not rendered")
                dom = subprocess.run(
                    ["timeout", "-k", "5", "90", chromium, "--headless", "--no-sandbox",
                     "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                     "--user-data-dir=" + self.path("chromium-profile"),
                     "--virtual-time-budget=8000", "--dump-dom", "http://127.0.0.1:%d/" % port],
                    capture_output=True, text=True).stdout
            finally:
                proc.terminate()
                proc.wait(60)
                err.join()
                proc.stdout.close()
                proc.stderr.close()
        self.assertIn('id="solo-card" style=""', dom, dom[:3000])
        self.assertIn('id="pool-card" style="display: none;"', dom)
        self.assertIn('id="solo-chain">regtest<', dom)
        self.assertIn('id="pool-badge" class="ok">solo: regtest<', dom)
        accepted = re.search(r'id="solo-accepted">(\d+)<', dom)
        self.assertIsNotNone(accepted, dom[:3000])
        self.assertGreaterEqual(int(accepted.group(1)), 1)
        self.assertRegex(dom, r'id="solo-last" title="[0-9a-f]{64}">[0-9a-f]{64}<')
        self.assertRegex(dom, r'id="solo-chance">[0-9.e+-]+ %<')
        self.assertRegex(dom, r'id="solo-expected">([0-9]+m[0-9]{2}s|[0-9]+h[0-9]{2}m)<')
