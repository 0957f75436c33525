#!/usr/bin/env python3
"""nonceforge against a Stratum V1 pool that shares no code with it.

The in-tree pool validates shares with the same core library the miner hashes with, so a
byte-order mistake in that library would pass there unnoticed. This pool is written from the
protocol alone, in Python's standard library (hashlib, struct, json, socket): it serves jobs
cut from real blocks (tests/data/vectors), grants BIP 310 version rolling, speaks difficulty
the way ckpool does, rotates clean jobs, and checks every submitted share itself.

Before serving, it proves its own checker on the vectors' winning shares (each must hash to
the real block). Then it runs `nonceforge mine` against itself and requires: accepted shares,
not one invalid share, and the miner's own accounting agreeing with the pool's.

Usage: independent_pool_test.py NONCEFORGE VECTORS_DIR [--seconds S]
"""

import argparse
import hashlib
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

DIFF1_TARGET = 0xFFFF << 208
VERSION_MASK = 0x1FFFE000
JOB_VECTORS = ["block702861.json", "block482683.json", "testnet_block924634_ckpool.json",
               "block426884.json"]
SHARE_DIFFICULTY = 0.002  # about 8.6 million hashes a share
NTIME_WINDOW = 7200


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def stratum_prevhash_to_header(prevhash_hex):
    """Stratum sends the internal-order hash with each 4-byte word byte-reversed."""
    raw = bytes.fromhex(prevhash_hex)
    return b"".join(raw[i:i + 4][::-1] for i in range(0, 32, 4))


class Job:
    def __init__(self, job_id, vector):
        s = vector["stratum"]
        vr = vector.get("version_rolling")
        self.job_id = job_id
        self.prevhash = s["prevhash"]
        self.coinb1 = s["coinb1"]
        self.coinb2 = s["coinb2"]
        self.branch = s["merkle_branch"]
        # A rolled header carries the job's version with the miner's bits (BIP 320).
        self.version = int(vr["job_version"] if vr else s["version"], 16)
        self.nbits = s["nbits"]
        self.ntime = int(s["ntime"], 16)

    def notify(self, clean):
        return {"id": None, "method": "mining.notify",
                "params": [self.job_id, self.prevhash, self.coinb1, self.coinb2, self.branch,
                           "%08x" % self.version, self.nbits, "%08x" % self.ntime, clean]}

    def header(self, extranonce1, extranonce2, ntime, nonce, version):
        coinbase = bytes.fromhex(self.coinb1 + extranonce1 + extranonce2 + self.coinb2)
        root = sha256d(coinbase)
        for h in self.branch:
            root = sha256d(root + bytes.fromhex(h))
        return (struct.pack("<I", version) + stratum_prevhash_to_header(self.prevhash) + root +
                struct.pack("<III", ntime, int(self.nbits, 16), nonce))


def check_share(job, extranonce1, en2_size, mask, params, difficulty):
    """Returns (hash as int, None) for a valid share, or (None, reason)."""
    if len(params) not in (5, 6) or not all(isinstance(p, str) for p in params):
        return None, "malformed params"
    _, _, en2, ntime_hex, nonce_hex = params[:5]
    if len(en2) != 2 * en2_size or len(ntime_hex) != 8 or len(nonce_hex) != 8:
        return None, "bad field length"
    try:
        bytes.fromhex(en2)
        ntime = int(ntime_hex, 16)
        nonce = int(nonce_hex, 16)
        bits = int(params[5], 16) if len(params) == 6 else 0
    except ValueError:
        return None, "bad hex"
    if not job.ntime <= ntime <= job.ntime + NTIME_WINDOW:
        return None, "ntime out of range"
    if bits & ~mask:
        return None, "version bits outside the mask"
    version = (job.version & ~mask) | (bits & mask)
    value = int.from_bytes(sha256d(job.header(extranonce1, en2, ntime, nonce, version)), "little")
    if value > int(DIFF1_TARGET / difficulty):
        return None, "low difficulty"
    return value, None


def self_check(vectors_dir):
    """The checker must accept each vector's winning share and reproduce the block hash."""
    for name in JOB_VECTORS:
        vector = json.load(open(os.path.join(vectors_dir, name)))
        s = vector["stratum"]
        job = Job("check", vector)
        vr = vector.get("version_rolling")
        params = vr["submit_params"] if vr else s["submit_params"]
        mask = int(vr["mask"], 16) if vr else 0
        value, why = check_share(job, s["extranonce1"], s["extranonce2_size"], mask, params, 1.0)
        if why is not None:
            raise SystemExit("pool self-check: %s: winning share refused (%s)" % (name, why))
        got = value.to_bytes(32, "little")[::-1].hex()
        if got != vector["block_hash"]:
            raise SystemExit("pool self-check: %s: hash %s, block is %s" %
                             (name, got, vector["block_hash"]))


class Pool:
    def __init__(self, vectors_dir):
        self.vectors = [json.load(open(os.path.join(vectors_dir, n))) for n in JOB_VECTORS]
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.accepted = 0
        self.invalid = {}  # reason -> count
        self.stale = 0
        self.duplicate = 0
        self.connections = 0
        self.protocol_errors = []
        self.stop = threading.Event()

    def serve(self):
        self.listener.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except socket.timeout:
                continue
            with self.lock:
                self.connections += 1
                index = self.connections
            threading.Thread(target=self.session, args=(conn, index), daemon=True).start()

    def session(self, conn, index):
        extranonce1 = "%08x" % (0xA5000000 + index)
        en2_size = 8
        mask = 0
        jobs = {}
        seen = set()
        sequence = [0]
        current = [None]
        out_lock = threading.Lock()

        def send(obj):
            with out_lock:
                conn.sendall((json.dumps(obj) + "\n").encode())

        def new_job():
            vector = self.vectors[sequence[0] % len(self.vectors)]
            job = Job("%x-%d" % (index, sequence[0]), vector)
            sequence[0] += 1
            # Only the current job is valid: each one is sent clean.
            jobs.clear()
            jobs[job.job_id] = job
            current[0] = job
            send(job.notify(True))

        def rotate():
            while not self.stop.wait(2.0):
                try:
                    new_job()
                except OSError:
                    return

        reader = conn.makefile("r", encoding="utf-8", newline="\n")
        try:
            for line in reader:
                try:
                    req = json.loads(line)
                    method, params, rid = req["method"], req.get("params", []), req.get("id")
                except (ValueError, KeyError, TypeError):
                    self.protocol_errors.append("unreadable line: %r" % line[:200])
                    continue
                if method == "mining.configure":
                    result = {}
                    if "version-rolling" in params[0]:
                        asked = int(params[1].get("version-rolling.mask", "0"), 16)
                        mask = asked & VERSION_MASK
                        result = {"version-rolling": True,
                                  "version-rolling.mask": "%08x" % mask}
                    send({"id": rid, "result": result, "error": None})
                elif method == "mining.subscribe":
                    send({"id": rid, "error": None,
                          "result": [[["mining.set_difficulty", "d%d" % index],
                                      ["mining.notify", "n%d" % index]], extranonce1, en2_size]})
                elif method == "mining.authorize":
                    send({"id": rid, "result": True, "error": None})
                    # ckpool sends the difficulty as a bare JSON number.
                    send({"id": None, "method": "mining.set_difficulty",
                          "params": [SHARE_DIFFICULTY]})
                    new_job()
                    threading.Thread(target=rotate, daemon=True).start()
                elif method in ("mining.suggest_difficulty", "mining.extranonce.subscribe"):
                    send({"id": rid, "result": True, "error": None})
                elif method == "mining.submit":
                    job = jobs.get(params[1]) if len(params) > 1 else None
                    if job is None:
                        with self.lock:
                            self.stale += 1
                        send({"id": rid, "result": None, "error": [21, "Stale", None]})
                        continue
                    value, why = check_share(job, extranonce1, en2_size, mask, params,
                                             SHARE_DIFFICULTY)
                    key = tuple(params[1:])
                    with self.lock:
                        if why is not None:
                            self.invalid[why] = self.invalid.get(why, 0) + 1
                        elif key in seen:
                            self.duplicate += 1
                            why = "Duplicate share"
                        else:
                            seen.add(key)
                            self.accepted += 1
                    if why is None:
                        send({"id": rid, "result": True, "error": None})
                    else:
                        # ckpool's way of refusing a share.
                        send({"id": rid, "result": False, "error": None, "reject-reason": why})
                elif rid is not None:
                    send({"id": rid, "result": None, "error": [20, "Method not found", None]})
        except OSError:
            pass
        finally:
            conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("nonceforge")
    ap.add_argument("vectors")
    ap.add_argument("--seconds", type=float, default=8.0)
    args = ap.parse_args()

    self_check(args.vectors)
    pool = Pool(args.vectors)
    threading.Thread(target=pool.serve, daemon=True).start()

    with tempfile.TemporaryDirectory() as tmp:
        summary_path = os.path.join(tmp, "summary.json")
        cmd = [args.nonceforge, "mine", "-o", "stratum+tcp://127.0.0.1:%d" % pool.port,
               "-u", "independent.rig", "-p", "x", "--duration", str(args.seconds),
               "--status-interval", "2", "--no-api", "--json-summary", summary_path]
        run = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=args.seconds + 60)
        pool.stop.set()
        log = run.stdout
        failures = []
        if run.returncode != 0:
            failures.append("nonceforge exited with %d" % run.returncode)
        summary = json.load(open(summary_path)) if os.path.exists(summary_path) else None

    shares = summary["total"]["shares"] if summary else {}
    print("pool: %d connection(s), accepted %d, stale %d, duplicate %d, invalid %s" %
          (pool.connections, pool.accepted, pool.stale, pool.duplicate, pool.invalid or "none"))
    print("miner: " + json.dumps({k: shares.get(k) for k in
                                  ("found", "accepted", "rejected", "stale", "lost")}))
    if pool.invalid:
        failures.append("the pool found invalid shares: %s" % pool.invalid)
    if pool.duplicate:
        failures.append("%d duplicate share(s)" % pool.duplicate)
    if pool.protocol_errors:
        failures.append("protocol errors: %s" % pool.protocol_errors[:3])
    if pool.accepted < 3:
        failures.append("only %d accepted share(s)" % pool.accepted)
    if not shares:
        failures.append("no JSON summary from nonceforge")
    else:
        if shares["accepted"] != pool.accepted:
            failures.append("miner counts %d accepted, the pool %d" %
                            (shares["accepted"], pool.accepted))
        if shares["rejected"] != 0:
            failures.append("miner counts %d rejected" % shares["rejected"])
        total = shares["accepted"] + shares["rejected"] + shares["stale"] + shares["lost"]
        if shares["found"] != total:
            failures.append("found %d != accepted + rejected + stale + lost %d" %
                            (shares["found"], total))
        if shares.get("hardware_errors", 0):
            failures.append("%d hardware error(s)" % shares["hardware_errors"])
    if failures:
        print(log[-6000:])
        for f in failures:
            print("FAIL: " + f)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
