#!/usr/bin/env python3
"""The monitoring API of a running `nonceforge mine`, as a browser or a script meets it: the
Host rule against DNS rebinding, idle connections that cannot lock others out, the token rules
and the case-insensitive Bearer scheme."""

import http.client
import json
import socket
import subprocess
import time
import unittest

from cli_support import CliTest, LineWatcher, Pool, run, start

TOKEN = "0123456789abcdef-token"


class RunningMiner:
    def __init__(self, pool, extra=()):
        self.proc = start(["mine", "-o", pool.url, "-u", "api.w", "-t", "1", "--duration", "60",
                           "--api-bind", "127.0.0.1:0"] + list(extra))
        self.err = LineWatcher(self.proc.stderr)
        m = self.err.wait_for(r"API: dashboard and JSON at http://127\.0\.0\.1:(\d+)", 30)
        if not m:
            self.stop()
            raise AssertionError("no API line:\n" + "\n".join(self.err.lines))
        self.port = int(m.group(1))

    def get(self, path, headers=None, source="127.0.0.1"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                          source_address=(source, 0))
        conn.putrequest("GET", path, skip_host=True)
        for k, v in (headers or {"Host": "127.0.0.1:%d" % self.port}).items():
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        body = r.read()
        conn.close()
        return r.status, body

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.err.join()
        self.proc.stderr.close()


class Api(CliTest):
    def test_host_header_must_be_ours(self):
        with Pool() as pool:
            m = RunningMiner(pool)
            try:
                for host in ("localhost:%d" % m.port, "127.0.0.1:%d" % m.port, "localhost"):
                    with self.subTest(host=host):
                        status, body = m.get("/api/v1/summary", {"Host": host})
                        self.assertEqual(status, 200, body)
                        self.assertIn("version", json.loads(body))
                for path in ("/api/v1/summary", "/metrics", "/"):
                    with self.subTest(path=path):
                        status, _ = m.get(path, {"Host": "attacker.example:%d" % m.port})
                        self.assertEqual(status, 403)
            finally:
                m.stop()

    def test_live_profit_carries_the_not_mainnet_warning(self):
        with Pool() as pool:
            m = RunningMiner(pool, ["--power-watts", "100", "--electricity-price", "0.1",
                                    "--btc-price", "100000"])
            try:
                deadline = time.monotonic() + 20
                profit = {}
                while time.monotonic() < deadline and not profit.get("available"):
                    status, body = m.get("/api/v1/summary", {"Host": "localhost"})
                    self.assertEqual(status, 200)
                    profit = json.loads(body)["profit"]
                    time.sleep(0.5)
                self.assertTrue(profit.get("available"), profit)
                self.assertIn("far below mainnet", profit["network_warning"] or "")
            finally:
                m.stop()

    def test_allow_host_adds_a_name(self):
        with Pool() as pool:
            m = RunningMiner(pool, ["--api-allow-host", "rig.lan"])
            try:
                self.assertEqual(m.get("/api/v1/summary", {"Host": "rig.lan:4048"})[0], 200)
                self.assertEqual(m.get("/api/v1/summary", {"Host": "other.lan"})[0], 403)
            finally:
                m.stop()

    def test_idle_connections_from_one_client_do_not_lock_out_another(self):
        with Pool() as pool:
            m = RunningMiner(pool)
            idle = []
            try:
                for _ in range(20):
                    s = socket.create_connection(("127.0.0.1", m.port), timeout=5)
                    idle.append(s)
                start_time = time.monotonic()
                status, _ = m.get("/api/v1/summary", {"Host": "localhost"}, source="127.0.0.2")
                self.assertEqual(status, 200)
                self.assertLess(time.monotonic() - start_time, 2)
            finally:
                for s in idle:
                    s.close()
                m.stop()

    def test_token_rules_and_the_bearer_scheme(self):
        for bad in (" ", "short", "sixteen chars ok"):
            with self.subTest(token=bad):
                self.assertUsageError(run(["mine", "--api-token", bad]), "--api-token")
        with Pool() as pool:
            m = RunningMiner(pool, ["--api-token", TOKEN])
            try:
                host = {"Host": "localhost"}
                self.assertEqual(m.get("/api/v1/summary", host)[0], 401)
                for scheme in ("Bearer", "bearer", "BEARER"):
                    with self.subTest(scheme=scheme):
                        status, _ = m.get("/api/v1/summary",
                                          dict(host, Authorization=scheme + " " + TOKEN))
                        self.assertEqual(status, 200)
                status, _ = m.get("/api/v1/summary", dict(host, Authorization="Bearer wrong"))
                self.assertEqual(status, 401)
            finally:
                m.stop()


if __name__ == "__main__":
    unittest.main()
