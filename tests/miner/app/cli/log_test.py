#!/usr/bin/env python3
"""What a user reads: one log line per share verdict, the embedded pool quiet unless asked, lines
under 200 characters, colours only when wanted, the summary in --log-file, and a complete
--json-summary."""

import json
import os
import pty
import re
import select
import subprocess
import time
import unittest

from cli_support import BINARY, CliTest, Pool, run

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_in_terminal(args, env_extra, timeout=60):
    """Runs nonceforge with stderr on a pseudo-terminal (colours are for terminals)."""
    master, slave = pty.openpty()
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env.update(env_extra)
    env["TERM"] = "xterm-256color"
    proc = subprocess.Popen([BINARY] + args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave, env=env)
    os.close(slave)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        elif proc.poll() is not None:
            break
    proc.stdout.read()
    proc.wait(10)
    proc.stdout.close()
    os.close(master)
    return proc.returncode, data.decode(errors="replace")


class Log(CliTest):
    def test_one_line_per_share_and_the_local_pool_quiet(self):
        r = run(["mine", "--duration", "6", "--no-api", "-t", "2", "--local-difficulty", "0.001"],
                timeout=60)
        self.assertEqual(r.rc, 0, r)
        summary = json_summary_counts(r.out)
        share_lines = [l for l in r.err.splitlines()
                       if re.search(r"\] share (accepted|rejected|stale|lost)", l)]
        self.assertGreater(summary["found"], 0, r)
        # Exactly one line per share found: its verdict.
        self.assertEqual(len(share_lines), summary["found"], r)
        self.assertNotIn("share found by", r.err)
        self.assertNotIn("[local pool]", r.err)
        m = re.search(r"share accepted: cpu\d+/\S+, difficulty [0-9.e-]+ / 0\.001, [0-9.]+ ms "
                      r"\[\d+ accepted, 0 rejected, 0 stale, 0 lost\]", r.err)
        self.assertTrue(m, r)
        for line in r.err.splitlines() + r.out.splitlines():
            self.assertLess(len(line), 200, line)

    def test_debug_shows_found_shares_and_the_local_pool(self):
        r = run(["mine", "--duration", "3", "--no-api", "-t", "1", "-D"], timeout=60)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("[local pool] pool listening", r.err)
        self.assertIn("[debug]", r.err)

    def test_quiet_drops_share_and_job_lines_but_keeps_status(self):
        r = run(["mine", "--duration", "4", "--no-api", "-t", "1", "-q", "--status-interval", "1",
                 "--local-difficulty", "0.001"], timeout=60)
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("share accepted", r.err)
        self.assertNotIn("] job ", r.err)
        self.assertIn("| shares ", r.err)  # the status line
        self.assertIn("summary after", r.out)

    def test_log_level_warn_leaves_warnings_only(self):
        r = run(["mine", "--duration", "2", "--no-api", "-t", "1", "--log-level", "warn"],
                timeout=60)
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("[info]", r.err)
        self.assertIn("[warning] no pool given", r.err)

    def test_summary_and_log_go_to_the_log_file(self):
        log = self.path("mine.log")
        r = run(["mine", "--duration", "3", "--no-api", "-t", "1", "--log-file", log], timeout=60)
        self.assertEqual(r.rc, 0, r)
        with open(log) as f:
            text = f.read()
        self.assertIn("starting: ", text)
        self.assertIn("summary after", text)
        self.assertIn("stopped: duration reached", text)
        self.assertNotIn("\x1b[", text)

    def test_log_file_folder_is_not_created(self):
        missing = self.path("no/such/folder/nf.log")
        self.assertUsageError(run(["mine", "--log-file", missing]), "--log-file", "does not exist")
        self.assertFalse(os.path.exists(self.path("no")))

    def test_colours_follow_the_terminal_no_color_and_the_flag(self):
        args = ["mine", "--duration", "1", "--no-api", "-t", "1"]
        rc, text = run_in_terminal(args, {})
        self.assertEqual(rc, 0, text)
        self.assertRegex(text, ANSI, "a terminal gets colours by default")
        rc, text = run_in_terminal(args, {"NO_COLOR": "1"})
        self.assertEqual(rc, 0, text)
        self.assertNotRegex(text, ANSI)
        rc, text = run_in_terminal(args + ["--no-color"], {})
        self.assertEqual(rc, 0, text)
        self.assertNotRegex(text, ANSI)

    def test_json_summary_is_complete(self):
        with Pool() as pool:
            path = self.path("s.json")
            r = run(["mine", "-o", pool.url, "-u", "sum.w1", "-p", "hunter22", "-t", "1",
                     "--duration", "3", "--no-api", "--json-summary", path], timeout=60)
            self.assertEqual(r.rc, 0, r)
        with open(path) as f:
            s = json.load(f)
        for key in ("version", "start_time", "stop_time", "stop_reason", "elapsed_seconds",
                    "average_hashrate", "pools", "total", "backends", "exit_code"):
            self.assertIn(key, s)
        self.assertRegex(s["start_time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(s["stop_reason"], "duration reached")
        self.assertEqual(s["pools"], [{"url": pool.url, "user": "sum.w1"}])
        self.assertGreater(s["average_hashrate"], 0)
        self.assertNotIn("hunter22", json.dumps(s))

    def test_live_profit_from_a_test_pool_says_it_is_not_mainnet(self):
        r = run(["mine", "--duration", "3", "--no-api", "-t", "1", "--power-watts", "100",
                 "--electricity-price", "0.1", "--btc-price", "100000", "--status-interval", "1"],
                timeout=60)
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.out, r"profitability \| est\. .*\(not mainnet: test figures\)")
        self.assertIn("(not mainnet: test figures)", r.err)  # the status lines

    def test_pool_alone_says_where_it_listens_once(self):
        r = run(["pool", "--port", "0", "--duration", "0.5"], timeout=30)
        self.assertEqual(r.rc, 0, r)
        self.assertEqual(r.err.count("listening"), 1, r)
        self.assertIn("pool summary:", r.out)

    def test_unwritable_json_summary_is_refused_before_mining(self):
        self.assertUsageError(run(["mine", "--json-summary", self.path("none/x.json")]),
                              "--json-summary")


def json_summary_counts(summary_text):
    m = re.search(r"total: .*shares found (\d+) = accepted (\d+)", summary_text)
    assert m, summary_text
    return {"found": int(m.group(1)), "accepted": int(m.group(2))}


if __name__ == "__main__":
    unittest.main()
