#!/usr/bin/env python3
"""Signals through the built binary: handled from the start of main whatever the disposition
the process inherited; every stop prints (and logs) the summary; SIGHUP reopens the log file."""

import os
import signal
import subprocess
import time
import unittest

from cli_support import CliTest, LineWatcher, Pool, start


class Signals(CliTest):
    def mine(self, pool, extra=(), preexec_fn=None):
        proc = start(["mine", "-o", pool.url, "-u", "sig.test", "-t", "1", "--no-api",
                      "--duration", "60"] + list(extra), preexec_fn=preexec_fn)
        self.addCleanup(self.kill, proc)
        return proc, LineWatcher(proc.stderr)

    @staticmethod
    def kill(proc):
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()

    def finish(self, proc, err, timeout=20):
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail("nonceforge did not stop within %d s:\n%s" % (timeout, err.join()))
        return proc.stdout.read(), err.join()

    def test_sigint_during_start_up_stops_with_a_summary(self):
        with Pool() as pool:
            proc, err = self.mine(pool)
            # The start-up line comes before the CPU race and the pool connection.
            self.assertTrue(err.wait_for(r"starting: "), err.join())
            proc.send_signal(signal.SIGINT)
            out, log = self.finish(proc, err)
            self.assertEqual(proc.returncode, 0, log)
            self.assertIn("summary after", out)
            self.assertIn("stopped: SIGINT", out)

    def test_sigint_is_handled_when_the_parent_ignored_it(self):
        # A shell script's `nonceforge mine &` starts it with SIGINT ignored.
        with Pool() as pool:
            proc, err = self.mine(pool, preexec_fn=lambda: signal.signal(signal.SIGINT,
                                                                         signal.SIG_IGN))
            self.assertTrue(err.wait_for(r"starting: "), err.join())
            proc.send_signal(signal.SIGINT)
            out, log = self.finish(proc, err)
            self.assertEqual(proc.returncode, 0, log)
            self.assertIn("stopped: SIGINT", out)

    def test_sigterm_while_mining_stops_with_a_summary(self):
        with Pool() as pool:
            proc, err = self.mine(pool)
            self.assertTrue(err.wait_for(r"authorized|connected to", 30), err.join())
            proc.send_signal(signal.SIGTERM)
            out, log = self.finish(proc, err)
            self.assertEqual(proc.returncode, 0, log)
            self.assertIn("received SIGTERM", log)
            self.assertIn("stopped: SIGTERM", out)
            self.assertIn("effective hashrate", out)

    def test_a_second_sigint_exits_at_once(self):
        with Pool() as pool:
            proc, err = self.mine(pool)
            self.assertTrue(err.wait_for(r"starting: "), err.join())
            proc.send_signal(signal.SIGINT)
            self.assertTrue(err.wait_for(r"received SIGINT"), err.join())
            time.sleep(0.4)  # later than the same request delivered twice
            proc.send_signal(signal.SIGINT)
            _, log = self.finish(proc, err)
            self.assertIn(proc.returncode, (0, 128 + signal.SIGINT), log)

    def test_one_sigint_delivered_twice_at_once_stops_with_a_summary(self):
        # GNU `timeout -s INT` signals the child, then its process group: two SIGINTs
        # microseconds apart are one request, not "exit without waiting".
        with Pool() as pool:
            proc, err = self.mine(pool)
            self.assertTrue(err.wait_for(r"authorized|connected to", 30), err.join())
            os.kill(proc.pid, signal.SIGINT)
            os.kill(proc.pid, signal.SIGINT)
            out, log = self.finish(proc, err)
            self.assertEqual(proc.returncode, 0, log)
            self.assertNotIn("exiting without waiting", log)
            self.assertEqual(log.count("received SIGINT"), 1, log)
            self.assertIn("stopped: SIGINT", out)

    def test_sighup_reopens_the_log_file_and_mining_goes_on(self):
        log_path = self.path("nf.log")
        with Pool() as pool:
            proc, err = self.mine(pool, ["--log-file", log_path])
            self.assertTrue(err.wait_for(r"connected to", 30), err.join())
            os.rename(log_path, log_path + ".1")  # what logrotate does
            proc.send_signal(signal.SIGHUP)
            self.assertTrue(err.wait_for(r"received SIGHUP: log file reopened"), err.join())
            time.sleep(0.3)
            self.assertIsNone(proc.poll(), "SIGHUP must not end mining")
            proc.send_signal(signal.SIGTERM)
            out, log = self.finish(proc, err)
            self.assertEqual(proc.returncode, 0, log)
        with open(log_path + ".1") as f:
            rotated = f.read()
        with open(log_path) as f:
            fresh = f.read()
        self.assertIn("starting: ", rotated)
        self.assertNotIn("log file reopened", rotated)
        self.assertIn("received SIGHUP: log file reopened", fresh)
        # The summary is in the log file too, not only on stdout.
        self.assertIn("summary after", fresh)
        self.assertIn("stopped: SIGTERM", fresh)

    def test_sighup_without_a_log_file_is_noted_and_ignored(self):
        with Pool() as pool:
            proc, err = self.mine(pool)
            self.assertTrue(err.wait_for(r"connected to", 30), err.join())
            proc.send_signal(signal.SIGHUP)
            self.assertTrue(err.wait_for(r"received SIGHUP: no --log-file"), err.join())
            self.assertIsNone(proc.poll())
            proc.send_signal(signal.SIGTERM)
            out, _ = self.finish(proc, err)
            self.assertEqual(proc.returncode, 0)
            self.assertIn("summary after", out)


if __name__ == "__main__":
    unittest.main()
