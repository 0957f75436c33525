#!/usr/bin/env python3
"""The network options of `mine`, each shown doing what it says through the built binary:
-x/--proxy, -P/--protocol-dump, -r/--retries with -R/--retry-pause, -T/--timeout and the TLS
options (checked at start-up; a refused certificate names the fingerprint to pin)."""

import os
import re
import select
import socket
import struct
import subprocess
import threading
import unittest

from cli_support import CliTest, LineWatcher, Pool, run, start, unwrap_log


class Socks5Proxy:
    """A SOCKS5 proxy on 127.0.0.1 that records the destination it was asked for and relays."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.requests = []
        self.stop = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                client, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self.handle, args=(client,), daemon=True).start()

    @staticmethod
    def read(conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError("closed")
            data += chunk
        return data

    def handle(self, client):
        try:
            client.settimeout(10)
            version, nmethods = self.read(client, 2)
            self.read(client, nmethods)
            client.sendall(b"\x05\x00")
            _, cmd, _, atyp = self.read(client, 4)
            if atyp == 3:
                host = self.read(client, self.read(client, 1)[0]).decode()
            elif atyp == 1:
                host = socket.inet_ntoa(self.read(client, 4))
            else:
                host = socket.inet_ntop(socket.AF_INET6, self.read(client, 16))
            (port,) = struct.unpack(">H", self.read(client, 2))
            self.requests.append((cmd, atyp, host, port))
            upstream = socket.create_connection(("127.0.0.1" if host == "localhost" else host,
                                                 port), timeout=10)
            client.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + b"\x00\x00")
            client.settimeout(None)
            pair = [client, upstream]
            while not self.stop:
                ready, _, _ = select.select(pair, [], [], 0.2)
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is client else client).sendall(data)
        except (OSError, ConnectionError, ValueError):
            return
        finally:
            client.close()

    def close(self):
        self.stop = True
        self.thread.join(5)
        self.sock.close()


def openssl_cert(directory):
    cert = os.path.join(directory, "pool.crt")
    key = os.path.join(directory, "pool.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    return cert, key


class NetworkOptions(CliTest):
    def test_socks5_proxy_gets_the_pool_name_and_carries_the_mining(self):
        proxy = Socks5Proxy()
        try:
            with Pool() as pool:
                r = run(["mine", "-o", "stratum+tcp://localhost:%d" % pool.port, "-u", "px.w",
                         "-x", "socks5://127.0.0.1:%d" % proxy.port, "-t", "1", "--no-api",
                         "--duration", "4"], timeout=60)
        finally:
            proxy.close()
        self.assertEqual(r.rc, 0, r)
        # Remote DNS: the name went to the proxy (ATYP 3), not an address resolved here.
        self.assertIn((1, 3, "localhost", pool.port), proxy.requests)
        self.assertRegex(r.out, r"accepted [1-9]")

    def test_bad_proxy_url_is_a_usage_error(self):
        self.assertUsageError(run(["mine", "-x", "socks4://127.0.0.1:1080"]), "-x/--proxy")
        self.assertUsageError(run(["mine", "-x", "socks5://127.0.0.1"]), "-x/--proxy")

    def test_protocol_dump_shows_every_line_without_the_password(self):
        with Pool() as pool:
            r = run(["mine", "-o", pool.url, "-u", "dump.w", "-p", "s3cret-pass", "-P", "-t", "1",
                     "--no-api", "--duration", "2"], timeout=60)
        self.assertEqual(r.rc, 0, r)
        self.assertRegex(r.err, r"pool> .*mining\.subscribe")
        self.assertRegex(r.err, r"pool> .*mining\.authorize.*dump\.w")
        self.assertRegex(r.err, r"pool< .*mining\.notify")
        self.assertNotIn("s3cret-pass", r.err + r.out)

    def test_retries_give_up_with_exit_1_and_a_summary(self):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        r = run(["mine", "-o", "stratum+tcp://127.0.0.1:%d" % port, "-u", "a", "-r", "2", "-R",
                 "0.1", "-t", "1", "--no-api"], timeout=60)
        self.assertEqual(r.rc, 1, r)
        self.assertIn("giving up after 3 failed connection attempts in a row (retries: 2)", r.err)
        self.assertIn("reconnecting to stratum+tcp://127.0.0.1:%d in 0.1 s" % port, r.err)
        self.assertIn("summary after", r.out)
        self.assertLess(r.seconds, 20)

    def test_timeout_reconnects_a_silent_pool(self):
        with Pool(difficulty=1000, job_interval=0) as pool:  # a job at connect, then silence
            r = run(["mine", "-o", pool.url, "-u", "idle.w", "-T", "1", "-t", "1", "--no-api",
                     "--duration", "4"], timeout=60)
        self.assertEqual(r.rc, 0, r)
        self.assertIn("no line from the pool for 1", r.err)

    def test_tls_options_are_checked_before_anything_starts(self):
        cert, _ = openssl_cert(self.tmp)
        not_cert = self.path("not-a-cert.pem")
        with open(not_cert, "w") as f:
            f.write("hello\n")
        tls = ["-o", "stratum+ssl://127.0.0.1:1", "-u", "a"]
        tcp = ["-o", "stratum+tcp://127.0.0.1:1", "-u", "a"]
        pin = "AB" * 32
        cases = [
            (tls + ["--tls-fingerprint", "xyz"], "--tls-fingerprint"),
            (tls + ["--tls-fingerprint", pin, "--tls-insecure"], "--tls-insecure"),
            (tls + ["--tls-ca", not_cert], "--tls-ca"),
            (tls + ["--tls-ca", self.path("missing.pem")], "--tls-ca"),
            (tcp + ["--tls-fingerprint", pin], "no pool URL uses TLS"),
            (tcp + ["--tls-ca", cert], "no pool URL uses TLS"),
            (["--tls-insecure"], "embedded local pool is plain TCP"),
        ]
        for args, needle in cases:
            with self.subTest(args=" ".join(args)):
                self.assertUsageError(run(["mine"] + args), needle)

    def test_refused_certificate_names_its_fingerprint_and_the_pin_works(self):
        cert, key = openssl_cert(self.tmp)
        pool = Pool.__new__(Pool)
        pool.proc = start(["pool", "--port", "0", "--difficulty", "0.0005", "--tls-cert", cert,
                           "--tls-key", key])
        pool.err = LineWatcher(pool.proc.stderr)
        try:
            m = pool.err.wait_for(r"pool listening on stratum\+ssl://127\.0\.0\.1:(\d+)", 20)
            self.assertTrue(m, pool.err.lines)
            url = "stratum+ssl://127.0.0.1:" + m.group(1)
            r = run(["mine", "-o", url, "-u", "tls.w", "-t", "1", "--no-api", "--duration", "2"],
                    timeout=60)
            fp = re.search(r"to trust it, pass --tls-fingerprint ([0-9A-Fa-f:]+)",
                           unwrap_log(r.err))
            self.assertTrue(fp, r)
            r = run(["mine", "-o", url, "-u", "tls.w", "-t", "1", "--no-api", "--duration", "3",
                     "--tls-fingerprint", fp.group(1)], timeout=60)
            self.assertEqual(r.rc, 0, r)
            self.assertRegex(r.out, r"accepted [1-9]")
        finally:
            pool.stop()


if __name__ == "__main__":
    unittest.main()
