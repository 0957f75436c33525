#!/usr/bin/env python3
"""Self-test of the node emulator: it is started as a process on a free port and driven over
HTTP like a miner would drive Bitcoin Core. Blocks are built here by a small builder of its own
(serialization, merkle root, witness commitment) so that the emulator's checks are tested
against a second implementation. Standard library only; runs in a few seconds."""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(HERE, "node_emulator.py")
PAYOUT = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
PAYOUT_SCRIPT = bytes.fromhex("0014751e76e8199196d454941c45d1b3a323f1433bd6")
OTHER_SCRIPT = bytes.fromhex("0014" + "11" * 20)


def sha256d(b: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(b).digest()).digest()


def varint(n: int) -> bytes:
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + n.to_bytes(2, "little")
    return b"\xfe" + n.to_bytes(4, "little")


def merkle(hashes: list[bytes]) -> bytes:
    level = list(hashes)
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def height_push(height: int) -> bytes:
    n = height.to_bytes((height.bit_length() + 8) // 8, "little")  # room for the sign bit
    while len(n) > 1 and n[-1] == 0 and not n[-2] & 0x80:
        n = n[:-1]
    return bytes([len(n)]) + n


def coinbase(height_script: bytes, outputs: list[tuple[int, bytes]], witness: list[bytes] | None) -> tuple[bytes, bytes]:
    """(serialized coinbase, txid)."""
    body_in = varint(1) + b"\0" * 32 + b"\xff\xff\xff\xff" + varint(len(height_script)) + height_script + \
        b"\xff\xff\xff\xff"
    body_out = varint(len(outputs)) + b"".join(v.to_bytes(8, "little") + varint(len(s)) + s for v, s in outputs)
    version = (2).to_bytes(4, "little")
    locktime = b"\0\0\0\0"
    stripped = version + body_in + body_out + locktime
    if witness is None:
        return stripped, sha256d(stripped)
    wit = varint(len(witness)) + b"".join(varint(len(w)) + w for w in witness)
    return version + b"\x00\x01" + body_in + body_out + wit + locktime, sha256d(stripped)


def build_block(tmpl: dict, *, pay_script: bytes = PAYOUT_SCRIPT, extra_value: int = 0,
                height: int | None = None, txs: list[dict] | None = None, bad_merkle: bool = False,
                bad_commitment: bool = False, reserved: bytes = b"\0" * 32, high_hash: bool = False,
                bits: str | None = None, time_: int | None = None, version: int | None = None,
                script_sig_extra: bytes = b"", witness: bool = True) -> bytes:
    """A block on the template; each keyword breaks one thing."""
    txs = tmpl["transactions"] if txs is None else txs
    h = tmpl["height"] if height is None else height
    wtxids = [b"\0" * 32] + [bytes.fromhex(t["hash"])[::-1] for t in txs]
    commitment = sha256d(merkle(wtxids) + reserved)
    if bad_commitment:
        commitment = bytes(32)
    # The template's value is for all its transactions; a subset brings only its own fees.
    value = tmpl["coinbasevalue"] - sum(t["fee"] for t in tmpl["transactions"]) + sum(t["fee"] for t in txs)
    outputs = [(value + extra_value, pay_script)]
    if witness:
        outputs.append((0, b"\x6a\x24\xaa\x21\xa9\xed" + commitment))
    cb, cb_txid = coinbase(height_push(h) + b"\x08" + os.urandom(8) + script_sig_extra, outputs,
                           [reserved] if witness else None)
    txids = [cb_txid] + [bytes.fromhex(t["txid"])[::-1] for t in txs]
    root = merkle(txids)
    if bad_merkle:
        root = sha256d(root)
    target = int(tmpl["target"], 16)
    head = (tmpl["version"] if version is None else version).to_bytes(4, "little") + \
        bytes.fromhex(tmpl["previousblockhash"])[::-1] + root + \
        (tmpl["curtime"] if time_ is None else time_).to_bytes(4, "little") + \
        bytes.fromhex(bits or tmpl["bits"])[::-1]
    for nonce in range(1 << 32):
        header = head + nonce.to_bytes(4, "little")
        ok = int.from_bytes(sha256d(header), "little") <= target
        if ok != high_hash:
            break
    body = varint(1 + len(txs)) + cb + b"".join(bytes.fromhex(t["data"]) for t in txs)
    return header + body


class Emulator:
    def __init__(self, *extra: str):
        self.dir = tempfile.TemporaryDirectory(prefix="node_emulator_test.")
        d = self.dir.name
        self.port_file = os.path.join(d, "port")
        self.cookie_file = os.path.join(d, "cookie")
        self.stats_file = os.path.join(d, "stats.json")
        extra = tuple(self.cookie_file if a == "COOKIE_PLACEHOLDER" else a for a in extra)
        self.log = os.path.join(d, "log")
        log_file = open(self.log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, EMULATOR, "--port-file", self.port_file, "--stats-file", self.stats_file,
             "--payout-address", PAYOUT, *extra],
            stdout=subprocess.DEVNULL, stderr=log_file)
        log_file.close()  # the child has its own copy
        deadline = time.monotonic() + 10
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("emulator did not start: " + self.read_log())
            time.sleep(0.02)
        with open(self.port_file) as f:
            self.port = int(f.read())
        self.auth = None
        if "--cookie-file" in extra:
            with open(self.cookie_file) as f:
                self.auth = f.read()
        elif "--rpc-user" in extra:
            self.auth = f"{extra[extra.index('--rpc-user') + 1]}:{extra[extra.index('--rpc-pass') + 1]}"

    def conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def post(self, body, auth: str | None = "default", conn=None) -> tuple[int, object]:
        c = conn or self.conn()
        headers = {"Content-Type": "application/json"}
        auth = self.auth if auth == "default" else auth
        if auth is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
        c.request("POST", "/", body=json.dumps(body) if not isinstance(body, bytes) else body, headers=headers)
        r = c.getresponse()
        data = r.read()
        if conn is None:
            c.close()
        return r.status, (json.loads(data) if data and r.getheader("Content-Type") == "application/json" else data)

    def call(self, method: str, *params, conn=None):
        status, reply = self.post({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)}, conn=conn)
        assert status == 200, (status, reply)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def template(self, **req) -> dict:
        return self.call("getblocktemplate", {"rules": ["segwit"], **req})

    def stats(self) -> dict:
        with open(self.stats_file) as f:
            return json.load(f)

    def read_log(self) -> str:
        with open(self.log) as f:
            return f.read()

    def stop(self) -> int:
        self.proc.terminate()
        return self.proc.wait(10)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.dir.cleanup()


class NodeEmulatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = Emulator("--cookie-file", "COOKIE_PLACEHOLDER", "--longpoll-timeout", "30")

    @classmethod
    def tearDownClass(cls):
        cls.emu.close()

    def submit(self, block: bytes):
        return self.emu.call("submitblock", block.hex())

    def test_template_from_real_block(self):
        t = self.emu.template()
        self.assertEqual(len(t["transactions"]), 11)  # block 482683 less its coinbase
        self.assertEqual(t["bits"], "207fffff")
        self.assertEqual(t["target"], "7fffff" + "0" * 58)
        self.assertEqual(t["version"], 0x20000000)
        self.assertEqual(t["rules"], ["csv", "!segwit", "taproot"])
        self.assertGreaterEqual(t["curtime"], t["mintime"])
        # Regtest subsidy at the height (halving every 150 blocks) plus the real block's fees:
        # 12.5 BTC subsidy subtracted from 482683's coinbase outputs gives 6,817,877 sat.
        fees = sum(x["fee"] for x in t["transactions"])
        self.assertEqual(fees, 6_817_877)
        self.assertEqual(t["coinbasevalue"], (50 * 10**8 >> (t["height"] // 150)) + fees)
        self.assertTrue(t["longpollid"].startswith(t["previousblockhash"]))
        for x in t["transactions"]:
            raw = bytes.fromhex(x["data"])
            self.assertEqual(bytes.fromhex(x["hash"])[::-1], sha256d(raw))
        wtxids = [b"\0" * 32] + [bytes.fromhex(x["hash"])[::-1] for x in t["transactions"]]
        self.assertEqual(t["default_witness_commitment"],
                         "6a24aa21a9ed" + sha256d(merkle(wtxids) + b"\0" * 32).hex())
        info = self.emu.call("getblockchaininfo")
        self.assertEqual(info["chain"], "regtest")
        self.assertEqual(info["blocks"] + 1, t["height"])
        self.assertEqual(info["bestblockhash"], t["previousblockhash"])
        self.assertEqual(self.emu.call("getnetworkinfo")["version"], 290000)

    def test_accept_then_duplicate(self):
        before = self.emu.stats()
        t = self.emu.template()
        block = build_block(t)
        self.assertIsNone(self.submit(block))
        self.assertEqual(self.emu.call("getblockcount"), t["height"])
        self.assertEqual(self.emu.call("getbestblockhash"), sha256d(block[:80])[::-1].hex())
        self.assertEqual(self.submit(block), "duplicate")
        # The old template's block is now stale: on the tip's parent it is "inconclusive".
        stale_before = self.emu.stats()["stale"]
        self.assertEqual(self.submit(build_block(t)), "inconclusive")
        self.assertEqual(self.emu.stats()["stale"], stale_before + 1)
        t2 = self.emu.template()
        self.assertEqual(t2["height"], t["height"] + 1)
        self.assertEqual(t2["previousblockhash"], sha256d(block[:80])[::-1].hex())
        after = self.emu.stats()
        self.assertEqual(after["accepted"], before["accepted"] + 1)
        self.assertEqual(after["height"], t["height"])

    def test_subset_and_empty_blocks_are_accepted(self):
        t = self.emu.template()
        self.assertIsNone(self.submit(build_block(t, txs=t["transactions"][3:7])))
        t = self.emu.template()
        self.assertIsNone(self.submit(build_block(t, txs=[])))
        # No witness anywhere: no commitment needed; a 100-byte scriptSig is the longest allowed.
        t = self.emu.template()
        legacy = [x for x in t["transactions"] if x["txid"] == x["hash"]]
        self.assertIsNone(self.submit(build_block(t, txs=legacy, witness=False, script_sig_extra=b"\x01" * 88)))

    def test_rejections(self):
        t = self.emu.template()
        other = dict(t["transactions"][1])
        other["data"] = other["data"][:-8] + "01000000"  # another locktime: another transaction
        raw = bytes.fromhex(other["data"])
        cases = {
            "bad-txnmrklroot": build_block(t, bad_merkle=True),
            "bad-cb-height": build_block(t, height=t["height"] + 1),
            "bad-cb-amount": build_block(t, extra_value=1),
            "bad-witness-merkle-match": build_block(t, bad_commitment=True),
            "bad-witness-nonce-size": build_block(t, reserved=b"\0" * 31),
            "high-hash": build_block(t, high_hash=True),
            "bad-cb-payout": build_block(t, pay_script=OTHER_SCRIPT),
            "bad-diffbits": build_block(t, bits="207ffffe"),
            "time-too-old": build_block(t, time_=t["mintime"] - 1),
            "time-too-new": build_block(t, time_=int(time.time()) + 7300),
            "bad-version(0x00000003)": build_block(t, version=3),
            "bad-cb-length": build_block(t, script_sig_extra=b"\x01" * 89),  # 3 + 9 + 89 = 101 bytes
            "unexpected-witness": build_block(t, witness=False),  # segwit txs, no commitment
        }
        for reason, block in cases.items():
            with self.subTest(reason=reason):
                self.assertEqual(self.submit(block), reason)
        # A transaction the template does not have.
        blk_with_unknown = build_block(t, txs=[dict(other, txid=sha256d(strip_witness(raw))[::-1].hex(),
                                                    hash=sha256d(raw)[::-1].hex())])
        self.assertEqual(self.submit(blk_with_unknown), "bad-txns-inputs-missingorspent")
        # Trailing bytes: Core's "Block decode failed", error -22.
        status, reply = self.emu.post({"jsonrpc": "2.0", "id": 7, "method": "submitblock",
                                       "params": [build_block(t).hex() + "00"]})
        self.assertEqual((status, reply["error"]["code"], reply["error"]["message"]),
                         (200, -22, "Block decode failed"))
        # A block on an unknown previous block.
        t_unknown = dict(t, previousblockhash="11" * 32)
        self.assertEqual(self.submit(build_block(t_unknown)), "prev-blk-not-found")
        stats = self.emu.stats()
        for reason in list(cases) + ["bad-txns-inputs-missingorspent", "Block decode failed", "prev-blk-not-found"]:
            self.assertGreaterEqual(stats["reasons"].get(reason, 0), 1, reason)

    def test_segwit_rule_required(self):
        status, reply = self.emu.post({"jsonrpc": "2.0", "id": 3, "method": "getblocktemplate", "params": [{}]})
        self.assertEqual(status, 200)
        self.assertEqual(reply["error"]["code"], -8)
        self.assertIn("segwit rule set", reply["error"]["message"])
        # JSON-RPC 1.0: the same error with HTTP 500 and both result and error present.
        status, reply = self.emu.post({"id": 4, "method": "getblocktemplate", "params": [{"rules": []}]})
        self.assertEqual(status, 500)
        self.assertEqual(reply, {"result": None, "id": 4, "error": {
            "code": -8, "message": "getblocktemplate must be called with the segwit rule set "
                                   "(call with {\"rules\": [\"segwit\"]})"}})

    def test_jsonrpc_shapes(self):
        status, reply = self.emu.post({"id": 5, "method": "nosuchmethod"})
        self.assertEqual((status, reply["error"]["code"]), (404, -32601))
        status, reply = self.emu.post({"jsonrpc": "2.0", "id": 5, "method": "nosuchmethod"})
        self.assertEqual((status, reply["error"]["code"], "result" in reply), (200, -32601, False))
        status, reply = self.emu.post({"jsonrpc": "2.0", "method": "getblockcount"})  # notification
        self.assertEqual(status, 204)
        status, reply = self.emu.post([{"id": 1, "method": "getblockcount"},
                                       {"jsonrpc": "2.0", "id": 2, "method": "nosuch"}])
        self.assertEqual(status, 200)
        self.assertIsInstance(reply[0]["result"], int)
        self.assertEqual(reply[1]["error"]["code"], -32601)
        status, reply = self.emu.post(b'{"jsonrpc": "2.0", "id": "\\ud800", "method": "nosuch"}')
        self.assertEqual((status, reply["id"], reply["error"]["code"]), (200, "\ud800", -32601))
        status, reply = self.emu.post(b"{not json")
        self.assertEqual((status, reply["error"]["code"]), (500, -32700))
        # A chunked body, as some HTTP clients send.
        c = self.emu.conn()
        c.putrequest("POST", "/")
        c.putheader("Authorization", "Basic " + base64.b64encode(self.emu.auth.encode()).decode())
        c.putheader("Transfer-Encoding", "chunked")
        c.endheaders()
        parts = [b'{"id":', b' 9, "method": "getblockcount"}']
        c.send(b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n")
        r = c.getresponse()
        reply = json.loads(r.read())
        c.close()
        self.assertEqual((r.status, reply["id"], reply["error"]), (200, 9, None))
        # Keep-alive: several calls on one connection.
        c = self.emu.conn()
        heights = [self.emu.call("getblockcount", conn=c) for _ in range(3)]
        c.close()
        self.assertEqual(len(set(heights)), 1)

    def test_cookie_auth(self):
        self.assertTrue(self.emu.auth.startswith("__cookie__:"))
        self.assertEqual(len(self.emu.auth), len("__cookie__:") + 64)
        status, _ = self.emu.post({"id": 1, "method": "getblockcount"}, auth="__cookie__:" + "0" * 64)
        self.assertEqual(status, 401)
        status, _ = self.emu.post({"id": 1, "method": "getblockcount"}, auth=None)
        self.assertEqual(status, 401)

    def test_longpoll_returns_when_tip_moves(self):
        t = self.emu.template()
        result = {}

        def poll():
            start = time.monotonic()
            result["t"] = self.emu.template(longpollid=t["longpollid"])
            result["waited"] = time.monotonic() - start

        th = threading.Thread(target=poll)
        th.start()
        time.sleep(0.5)
        self.assertTrue(th.is_alive(), "the long poll returned before the tip moved")
        before = self.emu.stats()["longpolls_answered"]
        self.assertIsNone(self.submit(build_block(t, txs=[])))
        th.join(10)
        self.assertFalse(th.is_alive())
        self.assertEqual(result["t"]["height"], t["height"] + 1)
        self.assertGreaterEqual(result["waited"], 0.4)
        self.assertEqual(self.emu.stats()["longpolls_answered"], before + 1)


def strip_witness(raw: bytes) -> bytes:
    """The serialization without witness of a transaction (for its txid)."""
    if raw[4:6] != b"\x00\x01":
        return raw
    pos = 6

    def read_varint(p):
        b = raw[p]
        if b < 0xFD:
            return b, p + 1
        size = {0xFD: 2, 0xFE: 4, 0xFF: 8}[b]
        return int.from_bytes(raw[p + 1:p + 1 + size], "little"), p + 1 + size

    n_in, pos = read_varint(pos)
    for _ in range(n_in):
        pos += 36
        n, pos = read_varint(pos)
        pos += n + 4
    n_out, pos = read_varint(pos)
    for _ in range(n_out):
        pos += 8
        n, pos = read_varint(pos)
        pos += n
    return raw[:4] + raw[6:pos] + raw[-4:]


class SeparateProcessesTest(unittest.TestCase):
    def test_warmup_then_ready_and_user_pass_auth(self):
        emu = Emulator("--warmup-seconds", "1.5", "--rpc-user", "u", "--rpc-pass", "p")
        try:
            status, reply = emu.post({"id": 1, "method": "getblockchaininfo"})
            self.assertEqual((status, reply["error"]["code"]), (500, -28))
            self.assertEqual(reply["error"]["message"], "Loading block index\u2026")  # Core's text
            status, _ = emu.post({"id": 1, "method": "getblockchaininfo"}, auth="u:wrong")
            self.assertEqual(status, 401)
            time.sleep(1.6)
            self.assertEqual(emu.call("getblockchaininfo")["chain"], "regtest")
            self.assertEqual(emu.stop(), 0)
        finally:
            emu.close()

    def test_outage_on_submit_answers_nothing_then_the_tip_has_moved(self):
        emu = Emulator("--outage-on-submit", "1.5")
        try:
            height = emu.call("getblockcount")
            t = emu.template()
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
                emu.post({"id": 1, "method": "submitblock", "params": [build_block(t).hex()]})
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
                emu.post({"id": 2, "method": "getbestblockhash"})
            time.sleep(1.6)
            self.assertEqual(emu.call("getblockcount"), height + 1, "another miner's block")
            # The block sent at the outage's start was never processed; sent now, it is a
            # valid block on the tip's parent: "inconclusive", as Core answers.
            self.assertEqual(emu.call("submitblock", build_block(t).hex()), "inconclusive")
            self.assertEqual(emu.stop(), 0)
            self.assertGreaterEqual(emu.stats()["outage_requests"], 2)
        finally:
            emu.close()

    def test_reject_all_and_stats_at_exit(self):
        emu = Emulator("--reject-all", "inconclusive", "--template-block", "300025", "--chain", "main")
        try:
            t = emu.template()
            self.assertEqual(len(t["transactions"]), 460)
            self.assertEqual(emu.call("getblockchaininfo")["chain"], "main")
            self.assertEqual(emu.call("submitblock", build_block(t).hex()), "inconclusive")
            self.assertEqual(emu.stop(), 0)
            stats = emu.stats()
            self.assertEqual((stats["accepted"], stats["rejected"], stats["reasons"]),
                             (0, 1, {"inconclusive": 1}))
            self.assertEqual(stats["templates"], 1)
        finally:
            emu.close()

    def test_dependencies_of_block_300025(self):
        emu = Emulator("--template-block", "300025")
        try:
            t = emu.template()
            txs = t["transactions"]
            self.assertEqual(len(txs), 460)
            self.assertEqual(sum(x["fee"] for x in txs), 7_773_345)  # 300025's real fees
            child = next(k for k, x in enumerate(txs) if x["depends"])
            parent = txs[child]["depends"][0] - 1
            # The child alone, or before its parent: its input is not there yet.
            for order in ([txs[child]], [txs[child], txs[parent]]):
                self.assertEqual(emu.call("submitblock", build_block(t, txs=order).hex()),
                                 "bad-txns-inputs-missingorspent")
            self.assertIsNone(emu.call("submitblock", build_block(t, txs=[txs[parent], txs[child]]).hex()))
            t = emu.template()
            self.assertIsNone(emu.call("submitblock", build_block(t).hex()))  # all 460
            self.assertEqual(emu.stats()["accepted"], 2)
        finally:
            emu.close()

    def test_ibd_on_main_no_longpoll_and_sigint(self):
        emu = Emulator("--chain", "main", "--ibd-seconds", "1", "--no-longpoll", "--template-block", "empty",
                       "--cookie-file", "COOKIE_PLACEHOLDER")
        try:
            self.assertTrue(emu.call("getblockchaininfo")["initialblockdownload"])
            status, reply = emu.post({"jsonrpc": "2.0", "id": 1, "method": "getblocktemplate",
                                      "params": [{"rules": ["segwit"]}]})
            self.assertEqual(reply["error"]["code"], -10)
            time.sleep(1.1)
            info = emu.call("getblockchaininfo")
            self.assertEqual((info["chain"], info["initialblockdownload"]), ("main", False))
            t = emu.template()
            self.assertNotIn("longpollid", t)
            start = time.monotonic()
            t2 = emu.template(longpollid=t["previousblockhash"] + "0")
            self.assertLess(time.monotonic() - start, 2)  # not served: answered at once
            self.assertEqual(t2["previousblockhash"], t["previousblockhash"])
            emu.proc.send_signal(signal.SIGINT)
            self.assertEqual(emu.proc.wait(10), 0)
            self.assertFalse(os.path.exists(emu.cookie_file))  # removed at exit, like Core
            self.assertEqual(emu.stats()["templates"], 2)
        finally:
            emu.close()

    def test_idle_keepalive_connection_is_closed(self):
        emu = Emulator("--idle-timeout", "0.5")
        try:
            with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as s:
                body = b'{"id":1,"method":"getblockcount"}'
                s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                reply = b""
                while b'"id":1}' not in reply:
                    chunk = s.recv(4096)
                    self.assertTrue(chunk, "closed before the reply")
                    reply += chunk
                self.assertTrue(reply.startswith(b"HTTP/1.1 200"))
                start = time.monotonic()
                self.assertEqual(s.recv(4096), b"")  # the emulator closes the idle connection
                self.assertLess(time.monotonic() - start, 5)
        finally:
            emu.close()

    def test_block_interval_moves_tip(self):
        emu = Emulator("--block-interval", "0.3", "--template-block", "empty")
        try:
            h0 = emu.call("getblockcount")
            t = emu.template()
            lp = emu.template(longpollid=t["longpollid"])
            self.assertGreater(lp["height"], t["height"])
            self.assertGreater(emu.call("getblockcount"), h0)
            self.assertEqual(lp["transactions"], [])
        finally:
            emu.close()


class SoloDriverTest(unittest.TestCase):
    """run_solo_e2e.py with a stand-in miner (fake_solo_miner.py takes nonceforge's solo
    command line): it passes when blocks are accepted and fails on rejections."""

    def run_driver(self, *extra: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, os.path.join(HERE, "run_solo_e2e.py"), "--nonceforge",
                               os.path.join(HERE, "fake_solo_miner.py"), "--seconds", "5", *extra],
                              capture_output=True, text=True, timeout=60)

    def test_passes_on_accepted_blocks(self):
        r = self.run_driver()
        self.assertEqual(r.returncode, 0, r.stderr)
        report = json.loads(r.stdout)
        self.assertEqual((report["miner_exit"], report["stats"]["accepted"], report["stats"]["rejected"]),
                         (0, 3, 0))

    def test_fails_on_rejected_blocks(self):
        r = self.run_driver("--emulator-args", "--reject-all bad-prevblk")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("3 block(s) rejected: {'bad-prevblk': 3}", r.stderr)


if __name__ == "__main__":
    unittest.main()
