#!/usr/bin/env python3
"""A Bitcoin Core node emulator for solo-mining tests (Python 3.11 standard library only).

It answers Bitcoin Core's JSON-RPC over HTTP/1.1 for the mining calls (getblocktemplate,
submitblock and the chain-state calls a miner asks first), serves templates built from the
transactions of real blocks (tests/data/blocks/*.hex) and checks every submitted block on its
own: proof of work, header context, merkle root, BIP 34 height, BIP 141 witness commitment,
coinbase value, payout script, weight and the transaction set.  It shares no code with
nonceforge: hashing, serialization, merkle trees and address decoding are written here.

See README.md in this folder for what it checks and what it does not.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import secrets
import signal
import string
import sys
import threading
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
BLOCKS_DIR = os.path.normpath(os.path.join(HERE, "..", "data", "blocks"))

COIN = 100_000_000
MAX_BLOCK_WEIGHT = 4_000_000
MAX_BLOCK_SIGOPS_COST = 80_000
MAX_FUTURE_BLOCK_TIME = 7200
WITNESS_SCALE_FACTOR = 4
REGTEST_BITS = 0x207FFFFF
TEMPLATE_VERSION = 0x20000000
START_HEIGHT = 200
WITNESS_COMMITMENT_HEADER = bytes.fromhex("aa21a9ed")
# The height each stored block really had on mainnet (its BIP 34 height or its known height);
# used only to work out the block's real total fee (coinbase outputs minus the subsidy then).
REAL_HEIGHTS = {"482683": 482683, "300025": 300025}

# Bitcoin Core's RPC error codes (src/rpc/protocol.h).
RPC_INVALID_REQUEST = -32600
RPC_METHOD_NOT_FOUND = -32601
RPC_INVALID_PARAMS = -32602
RPC_PARSE_ERROR = -32700
RPC_MISC_ERROR = -1
RPC_TYPE_ERROR = -3
RPC_INVALID_PARAMETER = -8
RPC_DESERIALIZATION_ERROR = -22
RPC_IN_WARMUP = -28
RPC_CLIENT_IN_INITIAL_DOWNLOAD = -10
RPC_CLIENT_NOT_CONNECTED = -9

WARMUP_MESSAGE = "Loading block index\u2026"  # Core's own text, with its ellipsis character


def log(msg: str) -> None:
    sys.stderr.write(f"node_emulator: {msg}\n")
    sys.stderr.flush()


# ----------------------------------------------------------------------------------------------
# Hashing and serialization


def sha256d(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def hash_hex(h: bytes) -> str:
    """A hash as Core prints it: the 32 bytes reversed, in hex."""
    return h[::-1].hex()


def ser_varint(n: int) -> bytes:
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + n.to_bytes(2, "little")
    if n <= 0xFFFFFFFF:
        return b"\xfe" + n.to_bytes(4, "little")
    return b"\xff" + n.to_bytes(8, "little")


class DecodeError(Exception):
    pass


class Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def read(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise DecodeError("end of data")
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u8(self) -> int:
        return self.read(1)[0]

    def u32(self) -> int:
        return int.from_bytes(self.read(4), "little")

    def i32(self) -> int:
        return int.from_bytes(self.read(4), "little", signed=True)

    def i64(self) -> int:
        return int.from_bytes(self.read(8), "little", signed=True)

    def varint(self) -> int:
        b = self.u8()
        if b < 0xFD:
            return b
        n = int.from_bytes(self.read({0xFD: 2, 0xFE: 4, 0xFF: 8}[b]), "little")
        # Core refuses non-canonical sizes and sizes above 0x02000000.
        if (b == 0xFD and n < 0xFD) or (b == 0xFE and n <= 0xFFFF) or (b == 0xFF and n <= 0xFFFFFFFF):
            raise DecodeError("non-canonical compact size")
        if n > 0x02000000:
            raise DecodeError("compact size too large")
        return n

    def var_bytes(self) -> bytes:
        return self.read(self.varint())

    def at_end(self) -> bool:
        return self.pos == len(self.data)


@dataclass
class TxIn:
    prev_txid: bytes  # internal byte order
    prev_index: int
    script_sig: bytes
    sequence: int
    witness: list[bytes] = field(default_factory=list)


@dataclass
class TxOut:
    value: int
    script: bytes


@dataclass
class Tx:
    version: int
    vin: list[TxIn]
    vout: list[TxOut]
    locktime: int
    raw: bytes  # as serialized in the block (with witness when it has one)
    stripped: bytes  # without witness
    txid: bytes
    wtxid: bytes

    @property
    def has_witness(self) -> bool:
        return any(i.witness for i in self.vin)

    @property
    def weight(self) -> int:
        return len(self.stripped) * (WITNESS_SCALE_FACTOR - 1) + len(self.raw)

    def is_coinbase(self) -> bool:
        return len(self.vin) == 1 and self.vin[0].prev_txid == b"\0" * 32 and \
            self.vin[0].prev_index == 0xFFFFFFFF


def parse_tx(r: Reader) -> Tx:
    start = r.pos
    version = r.i32()
    segwit = False
    n_in = r.varint()
    if n_in == 0:
        # BIP 144: a zero "input count" is the marker; the flag must follow.
        flags = r.u8()
        if flags != 1:
            raise DecodeError("unknown transaction optional data")
        segwit = True
        n_in = r.varint()
    vin = []
    for _ in range(n_in):
        prev = r.read(32)
        idx = r.u32()
        script = r.var_bytes()
        seq = r.u32()
        vin.append(TxIn(prev, idx, script, seq))
    n_out = r.varint()
    vout = [TxOut(r.i64(), r.var_bytes()) for _ in range(n_out)]
    if segwit:
        for txin in vin:
            txin.witness = [r.var_bytes() for _ in range(r.varint())]
        if not any(txin.witness for txin in vin):
            raise DecodeError("superfluous witness record")
    locktime = r.u32()
    raw = r.data[start:r.pos]
    tx = Tx(version, vin, vout, locktime, raw, b"", b"", b"")
    tx.stripped = serialize_tx(tx, with_witness=False)
    tx.txid = sha256d(tx.stripped)
    tx.wtxid = sha256d(raw) if segwit else tx.txid
    return tx


def serialize_tx(tx: Tx, with_witness: bool = True) -> bytes:
    wit = with_witness and tx.has_witness
    out = bytearray(tx.version.to_bytes(4, "little", signed=True))
    if wit:
        out += b"\x00\x01"
    out += ser_varint(len(tx.vin))
    for i in tx.vin:
        out += i.prev_txid + i.prev_index.to_bytes(4, "little") + ser_varint(len(i.script_sig)) + \
            i.script_sig + i.sequence.to_bytes(4, "little")
    out += ser_varint(len(tx.vout))
    for o in tx.vout:
        out += o.value.to_bytes(8, "little", signed=True) + ser_varint(len(o.script)) + o.script
    if wit:
        for i in tx.vin:
            out += ser_varint(len(i.witness))
            for item in i.witness:
                out += ser_varint(len(item)) + item
    out += tx.locktime.to_bytes(4, "little")
    return bytes(out)


@dataclass
class Block:
    header: bytes
    txs: list[Tx]
    size: int
    stripped_size: int

    @property
    def version(self) -> int:
        return int.from_bytes(self.header[0:4], "little", signed=True)

    @property
    def prev_hash(self) -> bytes:
        return self.header[4:36]

    @property
    def merkle_root(self) -> bytes:
        return self.header[36:68]

    @property
    def time(self) -> int:
        return int.from_bytes(self.header[68:72], "little")

    @property
    def bits(self) -> int:
        return int.from_bytes(self.header[72:76], "little")

    @property
    def hash(self) -> bytes:
        return sha256d(self.header)

    @property
    def weight(self) -> int:
        return self.stripped_size * (WITNESS_SCALE_FACTOR - 1) + self.size


def parse_block(data: bytes) -> Block:
    r = Reader(data)
    header = r.read(80)
    n = r.varint()
    txs = [parse_tx(r) for _ in range(n)]
    if not r.at_end():
        raise DecodeError("trailing bytes after the block")
    stripped = 80 + len(ser_varint(n)) + sum(len(t.stripped) for t in txs)
    return Block(header, txs, len(data), stripped)


def merkle_root(hashes: list[bytes]) -> tuple[bytes, bool]:
    """Bitcoin's merkle root and whether the tree is mutated (CVE-2012-2459, like Core)."""
    if not hashes:
        return b"\0" * 32, False
    level = list(hashes)
    mutated = False
    while len(level) > 1:
        for i in range(0, len(level) - 1, 2):
            if level[i] == level[i + 1]:
                mutated = True
        if len(level) % 2:
            level.append(level[-1])
        level = [sha256d(level[i] + level[i + 1]) for i in range(0, len(level), 2)]
    return level[0], mutated


def bits_to_target(bits: int) -> tuple[int, bool]:
    """The compact target and whether it is invalid (negative, zero or overflowing)."""
    size = bits >> 24
    word = bits & 0x007FFFFF
    if size <= 3:
        target = word >> (8 * (3 - size))
    else:
        target = word << (8 * (size - 3))
    negative = word != 0 and (bits & 0x00800000) != 0
    overflow = word != 0 and (size > 34 or (word > 0xFF and size > 33) or (word > 0xFFFF and size > 32))
    return target, negative or overflow or target == 0


def difficulty_from_bits(bits: int) -> float:
    """Core's GetDifficulty."""
    shift = (bits >> 24) & 0xFF
    diff = 0x0000FFFF / (bits & 0x00FFFFFF)
    while shift < 29:
        diff *= 256.0
        shift += 1
    while shift > 29:
        diff /= 256.0
        shift -= 1
    return diff


def script_num(n: int) -> bytes:
    """CScriptNum serialization (little-endian, sign bit in the last byte)."""
    if n == 0:
        return b""
    neg = n < 0
    a = abs(n)
    out = bytearray()
    while a:
        out.append(a & 0xFF)
        a >>= 8
    if out[-1] & 0x80:
        out.append(0x80 if neg else 0)
    elif neg:
        out[-1] |= 0x80
    return bytes(out)


def bip34_prefix(height: int) -> bytes:
    """What `CScript() << height` serializes to, which the coinbase scriptSig must start with."""
    if height == 0:
        return b"\x00"
    if 1 <= height <= 16:
        return bytes([0x50 + height])
    num = script_num(height)
    return bytes([len(num)]) + num


def legacy_sigops(script: bytes, accurate: bool = False) -> int:
    """Core's GetSigOpCount(false): CHECKSIG(VERIFY) 1, CHECKMULTISIG(VERIFY) 20."""
    n = 0
    i = 0
    while i < len(script):
        op = script[i]
        i += 1
        if 1 <= op <= 0x4B:
            i += op
        elif op == 0x4C:
            i += 1 + (script[i] if i < len(script) else 0)
        elif op == 0x4D:
            i += 2 + (int.from_bytes(script[i:i + 2], "little") if i + 2 <= len(script) else 0)
        elif op == 0x4E:
            i += 4 + (int.from_bytes(script[i:i + 4], "little") if i + 4 <= len(script) else 0)
        elif op in (0xAC, 0xAD):
            n += 1
        elif op in (0xAE, 0xAF):
            n += 20
    return n


def tx_legacy_sigops(tx: Tx) -> int:
    return sum(legacy_sigops(i.script_sig) for i in tx.vin) + sum(legacy_sigops(o.script) for o in tx.vout)


def tx_sigop_cost_estimate(tx: Tx) -> int:
    """Legacy sigops scaled by 4 plus one per input spent with a witness (an estimate: the
    emulator has no prevouts, so P2SH and witness-script sigops are not counted exactly)."""
    return tx_legacy_sigops(tx) * WITNESS_SCALE_FACTOR + sum(1 for i in tx.vin if i.witness)


def witness_commitment_index(coinbase: Tx) -> int:
    """Core's GetWitnessCommitmentIndex: the last output that looks like a commitment, or -1."""
    idx = -1
    for k, o in enumerate(coinbase.vout):
        s = o.script
        if len(s) >= 38 and s[0] == 0x6A and s[1] == 0x24 and s[2:6] == WITNESS_COMMITMENT_HEADER:
            idx = k
    return idx


def witness_root(txs_wtxids: list[bytes]) -> bytes:
    """BIP 141 witness merkle root; the coinbase's wtxid counts as zero."""
    return merkle_root([b"\0" * 32] + txs_wtxids[1:])[0]


def subsidy(height: int, halving_interval: int) -> int:
    halvings = height // halving_interval
    if halvings >= 64:
        return 0
    return (50 * COIN) >> halvings


# ----------------------------------------------------------------------------------------------
# Addresses


BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _bech32_polymod(values: list[int]) -> int:
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        b = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ v
        for i in range(5):
            if (b >> i) & 1:
                chk ^= gen[i]
    return chk


def _convertbits(data: list[int], frombits: int, tobits: int) -> bytes | None:
    acc = 0
    bits = 0
    out = []
    maxv = (1 << tobits) - 1
    for v in data:
        acc = (acc << frombits) | v
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if bits >= frombits or ((acc << (tobits - bits)) & maxv):
        return None
    return bytes(out)


def address_to_script(addr: str) -> bytes:
    """The scriptPubKey an address pays to (segwit v0..v16 bech32/bech32m, base58 P2PKH/P2SH).
    Raises ValueError on a malformed address."""
    lower = addr.lower()
    if lower.startswith(("bc1", "tb1", "bcrt1")):
        if addr != lower and addr != addr.upper():
            raise ValueError("mixed-case bech32 address")
        pos = lower.rfind("1")
        hrp, data_part = lower[:pos], lower[pos + 1:]
        if hrp not in ("bc", "tb", "bcrt") or len(data_part) < 7 or len(lower) > 90:
            raise ValueError("bad bech32 address")
        try:
            data = [BECH32_CHARSET.index(c) for c in data_part]
        except ValueError:
            raise ValueError("bad bech32 character") from None
        const = _bech32_polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp] + data)
        version = data[0]
        if version > 16:
            raise ValueError("bad witness version")
        if const != (1 if version == 0 else 0x2BC830A3):
            raise ValueError("bad bech32 checksum")
        prog = _convertbits(data[1:-6], 5, 8)
        if prog is None or not 2 <= len(prog) <= 40 or (version == 0 and len(prog) not in (20, 32)):
            raise ValueError("bad witness program")
        return bytes([0x50 + version if version else 0, len(prog)]) + prog
    n = 0
    for c in addr:
        if c not in B58_ALPHABET:
            raise ValueError("bad base58 character")
        n = n * 58 + B58_ALPHABET.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    raw = b"\0" * (len(addr) - len(addr.lstrip("1"))) + raw
    if len(raw) != 25 or sha256d(raw[:21])[:4] != raw[21:]:
        raise ValueError("bad base58check address")
    ver, h = raw[0], raw[1:21]
    if ver in (0x00, 0x6F):
        return b"\x76\xa9\x14" + h + b"\x88\xac"
    if ver in (0x05, 0xC4):
        return b"\xa9\x14" + h + b"\x87"
    raise ValueError("unknown base58 version byte")


# ----------------------------------------------------------------------------------------------
# Template transactions from a real block


@dataclass
class PoolTx:
    tx: Tx
    fee: int
    sigops: int
    depends: list[int]  # 1-based indexes into the template's transaction list


def load_block_hex(name: str) -> bytes:
    with open(os.path.join(BLOCKS_DIR, f"block{name}.hex"), encoding="ascii") as f:
        return bytes.fromhex(f.read().strip())


def mempool_from_block(name: str) -> list[PoolTx]:
    """The block's non-coinbase transactions, in block order, with the block's real total fee
    (coinbase outputs minus the subsidy at its real height) split over them in proportion to
    weight (the remainder to the first), so the fees add up to the real total."""
    if name == "empty":
        return []
    block = parse_block(load_block_hex(name))
    txs = block.txs[1:]
    total_fee = sum(o.value for o in block.txs[0].vout) - subsidy(REAL_HEIGHTS[name], 210_000)
    total_weight = sum(t.weight for t in txs)
    fees = [total_fee * t.weight // total_weight for t in txs]
    if fees:
        fees[0] += total_fee - sum(fees)
    index = {t.txid: k + 1 for k, t in enumerate(txs)}
    pool = []
    for k, t in enumerate(txs):
        deps = sorted({index[i.prev_txid] for i in t.vin if i.prev_txid in index})
        pool.append(PoolTx(t, fees[k], tx_sigop_cost_estimate(t), deps))
    return pool


# ----------------------------------------------------------------------------------------------
# The node


class RPCError(Exception):
    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ChainEntry:
    hash: bytes
    height: int
    time: int
    prev: bytes | None


class Node:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.lock = threading.Condition()
        self.started = time.monotonic()
        self.first_call: float | None = None  # the warm-up and IBD clocks start here
        self.outage_until: float | None = None  # --outage-on-submit: no answers until then
        self.stopping = False
        self.halving = 150 if args.chain == "regtest" else 210_000
        self.payout_script = address_to_script(args.payout_address) if args.payout_address else None
        self.mempool = mempool_from_block(args.template_block)
        self.pool_by_txid = {p.tx.txid: p for p in self.mempool}
        self.mempool_seq = 0
        # The chain: a synthetic start at START_HEIGHT whose ancestors are 10-minute-spaced
        # (--time-ahead S: ending S seconds in the future, a chain mined faster than the clock).
        now = int(time.time()) + int(args.time_ahead)
        self.entries: dict[bytes, ChainEntry] = {}
        self.active: list[ChainEntry] = []  # the last entries of the active chain, oldest first
        prev = None
        for k in range(11):
            h = sha256d(b"nonceforge node emulator start block %d" % k)
            e = ChainEntry(h, START_HEIGHT - 10 + k, now - 600 * (11 - k), prev)
            self.entries[h] = e
            self.active.append(e)
            prev = h
        self.stats = {"accepted": 0, "rejected": 0, "reasons": {}, "height": self.tip.height,
                      "templates": 0, "longpolls_answered": 0,
                      "stale": 0}  # valid blocks on an old tip (answered "inconclusive")
        self.stats_lock = threading.Lock()
        self.credentials: str | None = None  # "user:pass" that Basic auth must carry, or None

    # --- chain state
    @property
    def tip(self) -> ChainEntry:
        return self.active[-1]

    def median_time_past(self, entry: ChainEntry) -> int:
        times = []
        e: ChainEntry | None = entry
        while e is not None and len(times) < 11:
            times.append(e.time)
            e = self.entries.get(e.prev) if e.prev else None
        times.sort()
        return times[len(times) // 2]

    def connect(self, h: bytes, block_time: int) -> None:
        """Makes a new block on the tip the tip (lock held); long polls wake up."""
        e = ChainEntry(h, self.tip.height + 1, block_time, self.tip.hash)
        self.entries[h] = e
        self.active.append(e)
        if len(self.active) > 64:
            self.active = self.active[-64:]
        self.mempool_seq += 1
        self.lock.notify_all()
        with self.stats_lock:
            self.stats["height"] = e.height
        log(f"new tip {hash_hex(h)} at height {e.height}")

    def other_miner_block(self) -> None:
        with self.lock:
            t = max(int(time.time()), self.median_time_past(self.tip) + 1)
            h = sha256d(b"another miner" + self.tip.hash + os.urandom(8))
            self.connect(h, t)

    def since_first_call(self) -> float:
        # Counted from the first RPC call, not from start-up, so that a client that is slow to
        # start (a sanitizer build on a loaded machine) still meets the warm-up it is tested on.
        now = time.monotonic()
        if self.first_call is None:
            self.first_call = now
        return now - self.first_call

    def outage(self, body: bytes) -> bool:
        """--outage-on-submit S: the first submitblock starts S seconds in which no request is
        answered (the connection is closed), as a node that went away would do; at its start
        another miner's block moves the tip, so the block in flight can only be stale."""
        secs = self.args.outage_on_submit
        if not secs:
            return False
        now = time.monotonic()
        with self.lock:
            if self.outage_until is None and b'"submitblock"' in body:
                self.outage_until = now + secs
                log(f"outage: {secs} s without answers, starting with a submitblock")
                start = True
            else:
                start = False
        if start:
            self.other_miner_block()
            with self.stats_lock:
                self.stats["outage_requests"] = self.stats.get("outage_requests", 0) + 1
            return True
        if self.outage_until is not None and now < self.outage_until:
            with self.stats_lock:
                self.stats["outage_requests"] = self.stats.get("outage_requests", 0) + 1
            return True
        return False

    def in_warmup(self) -> bool:
        return self.since_first_call() < self.args.warmup_seconds

    def in_ibd(self) -> bool:
        return self.since_first_call() < self.args.ibd_seconds

    # --- stats
    def count(self, reason: str | None) -> None:
        with self.stats_lock:
            if reason is None:
                self.stats["accepted"] += 1
            else:
                self.stats["rejected"] += 1
                self.stats["reasons"][reason] = self.stats["reasons"].get(reason, 0) + 1
        self.write_stats()

    def write_stats(self) -> None:
        if not self.args.stats_file:
            return
        with self.stats_lock:
            text = json.dumps(self.stats, indent=1, sort_keys=True)
            tmp = self.args.stats_file + ".tmp"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text + "\n")
            os.replace(tmp, self.args.stats_file)

    # --- RPC methods
    def dispatch(self, method: str, params) -> object:
        if self.in_warmup():
            raise RPCError(RPC_IN_WARMUP, WARMUP_MESSAGE)
        fn = {
            "getblockchaininfo": self.rpc_getblockchaininfo,
            "getnetworkinfo": self.rpc_getnetworkinfo,
            "getmininginfo": self.rpc_getmininginfo,
            "getbestblockhash": lambda p: hash_hex(self.tip.hash),
            "getblockcount": lambda p: self.tip.height,
            "getdifficulty": lambda p: difficulty_from_bits(REGTEST_BITS),
            "getblocktemplate": self.rpc_getblocktemplate,
            "submitblock": self.rpc_submitblock,
        }.get(method)
        if fn is None:
            raise RPCError(RPC_METHOD_NOT_FOUND, "Method not found")
        return fn(params)

    def rpc_getblockchaininfo(self, params) -> dict:
        with self.lock:
            tip = self.tip
            ibd = self.in_ibd()
            return {
                "chain": self.args.chain,
                "blocks": tip.height,
                "headers": tip.height,
                "bestblockhash": hash_hex(tip.hash),
                "bits": f"{REGTEST_BITS:08x}",
                "target": f"{bits_to_target(REGTEST_BITS)[0]:064x}",
                "difficulty": difficulty_from_bits(REGTEST_BITS),
                "time": tip.time,
                "mediantime": self.median_time_past(tip),
                "verificationprogress": 0.5 if ibd else 1.0,
                "initialblockdownload": ibd,
                "chainwork": f"{2 * (tip.height + 1):064x}",
                "size_on_disk": 0,
                "pruned": False,
                "warnings": [],
            }

    def rpc_getnetworkinfo(self, params) -> dict:
        return {
            "version": 290000,
            "subversion": "/Satoshi:29.0.0/",
            "protocolversion": 70016,
            "localservices": "0000000000000c09",
            "localservicesnames": ["NETWORK", "WITNESS", "NETWORK_LIMITED", "P2P_V2"],
            "localrelay": True,
            "timeoffset": 0,
            "networkactive": True,
            "connections": 8,
            "connections_in": 0,
            "connections_out": 8,
            "networks": [],
            "relayfee": 0.00001,
            "incrementalfee": 0.00001,
            "localaddresses": [],
            "warnings": [],
        }

    def rpc_getmininginfo(self, params) -> dict:
        with self.lock:
            tip = self.tip
        return {
            "blocks": tip.height,
            "bits": f"{REGTEST_BITS:08x}",
            "difficulty": difficulty_from_bits(REGTEST_BITS),
            "target": f"{bits_to_target(REGTEST_BITS)[0]:064x}",
            "networkhashps": 0.0,
            "pooledtx": len(self.mempool),
            "chain": self.args.chain,
            "next": {"height": tip.height + 1, "bits": f"{REGTEST_BITS:08x}",
                     "difficulty": difficulty_from_bits(REGTEST_BITS),
                     "target": f"{bits_to_target(REGTEST_BITS)[0]:064x}"},
            "warnings": [],
        }

    def rpc_getblocktemplate(self, params) -> dict:
        req = {}
        if isinstance(params, list) and params:
            req = params[0]
        elif isinstance(params, dict):
            req = params.get("template_request", {})
        if req is None:
            req = {}
        if not isinstance(req, dict):
            raise RPCError(RPC_TYPE_ERROR, "JSON value of type %s is not of expected type object"
                           % type(req).__name__)
        mode = req.get("mode", "template")
        if mode == "proposal":
            raise RPCError(RPC_INVALID_PARAMETER, "The emulator does not check block proposals")
        if mode != "template":
            raise RPCError(RPC_INVALID_PARAMETER, "Invalid mode")
        if self.args.chain == "main" and self.in_ibd():
            raise RPCError(RPC_CLIENT_IN_INITIAL_DOWNLOAD,
                           "Bitcoin Core is in initial sync and waiting for blocks...")
        rules = req.get("rules", [])
        if not isinstance(rules, list):
            raise RPCError(RPC_TYPE_ERROR, "rules must be an array")
        lpval = req.get("longpollid")
        if lpval is not None and not self.args.no_longpoll:
            self.wait_longpoll(lpval)
        if self.args.chain == "signet" and "signet" not in rules:
            raise RPCError(RPC_INVALID_PARAMETER, "getblocktemplate must be called with the signet rule "
                           "set (call with {\"rules\": [\"segwit\", \"signet\"]})")
        if "segwit" not in rules:
            raise RPCError(RPC_INVALID_PARAMETER, "getblocktemplate must be called with the segwit rule "
                           "set (call with {\"rules\": [\"segwit\"]})")
        return self.make_template()

    def wait_longpoll(self, lpval) -> None:
        """Core's BIP 22 long poll: wait while the tip is the one named by the longpollid's first
        64 characters; the emulator's mempool never changes on its own, so after
        --longpoll-timeout seconds (Core: 60 s, then every 10 s on mempool changes) it returns a
        fresh template of the same tip."""
        if isinstance(lpval, str):
            watched = lpval[:64]
            try:
                if len(watched) != 64:
                    raise ValueError
                watched_hash = bytes.fromhex(watched)[::-1]
            except ValueError:
                raise RPCError(RPC_INVALID_PARAMETER,
                               f"longpollid must be of length 64 (not {len(watched)}, for '{watched}')"
                               if len(watched) != 64 else
                               f"longpollid must be hexadecimal string (not '{watched}')") from None
        else:
            watched_hash = self.tip.hash
        deadline = time.monotonic() + self.args.longpoll_timeout
        with self.lock:
            while not self.stopping and self.tip.hash == watched_hash:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.lock.wait(min(left, 1.0))
            if self.stopping:
                raise RPCError(RPC_CLIENT_NOT_CONNECTED, "Shutting down")
        with self.stats_lock:
            self.stats["longpolls_answered"] += 1
        self.write_stats()

    def make_template(self) -> dict:
        with self.lock:
            tip = self.tip
            height = tip.height + 1
            mintime = self.median_time_past(tip) + 1
            seq = self.mempool_seq
        fees = sum(p.fee for p in self.mempool)
        wroot = witness_root([b""] + [p.tx.wtxid for p in self.mempool])
        commitment = sha256d(wroot + b"\0" * 32)
        with self.stats_lock:
            self.stats["templates"] += 1
        t = {
            "capabilities": ["proposal"],
            "version": TEMPLATE_VERSION,
            "rules": ["csv", "!segwit", "taproot"] + (["!signet"] if self.args.chain == "signet" else []),
            "vbavailable": {},
            "vbrequired": 0,
            "previousblockhash": hash_hex(tip.hash),
            "transactions": [
                {"data": p.tx.raw.hex(), "txid": hash_hex(p.tx.txid), "hash": hash_hex(p.tx.wtxid),
                 "depends": p.depends, "fee": p.fee, "sigops": p.sigops, "weight": p.tx.weight}
                for p in self.mempool
            ],
            "coinbaseaux": {},
            "coinbasevalue": subsidy(height, self.halving) + fees,
            "target": f"{bits_to_target(REGTEST_BITS)[0]:064x}",
            "mintime": mintime,
            "mutable": ["time", "transactions", "prevblock"],
            "noncerange": "00000000ffffffff",
            "sigoplimit": MAX_BLOCK_SIGOPS_COST,
            "sizelimit": MAX_BLOCK_WEIGHT,
            "weightlimit": MAX_BLOCK_WEIGHT,
            "curtime": max(int(time.time()), mintime),
            "bits": f"{REGTEST_BITS:08x}",
            "height": height,
            "default_witness_commitment": (b"\x6a\x24" + WITNESS_COMMITMENT_HEADER + commitment).hex(),
        }
        if not self.args.no_longpoll:
            t["longpollid"] = hash_hex(tip.hash) + str(seq)
        return t

    def rpc_submitblock(self, params) -> object:
        if isinstance(params, dict):
            hexdata = params.get("hexdata")
        elif isinstance(params, list) and params:
            hexdata = params[0]
        else:
            raise RPCError(RPC_MISC_ERROR, "submitblock \"hexdata\" ( \"dummy\" )")
        if not isinstance(hexdata, str):
            raise RPCError(RPC_TYPE_ERROR, "JSON value is not a string as expected")
        try:
            # Core's IsHex: an even number of hex digits and nothing else. Trailing bytes after
            # the block are refused here, where Core 29 ignores them (the emulator is stricter
            # on purpose: a miner that appends bytes has a bug).
            if len(hexdata) % 2 or hexdata.strip(string.hexdigits):
                raise ValueError("not hex")
            block = parse_block(bytes.fromhex(hexdata))
        except (ValueError, DecodeError) as e:
            log(f"submitblock: decode failed ({e})")
            self.count("Block decode failed")
            raise RPCError(RPC_DESERIALIZATION_ERROR, "Block decode failed") from None
        with self.lock:
            # --reject-all (fault injection) answers every decodable block with its reason.
            reason = self.args.reject_all or self.check_block(block)
        log(f"submitblock {hash_hex(block.hash)}: {reason or 'accepted'}")
        self.count(reason)
        return reason

    def check_block(self, block: Block) -> str | None:
        """Core's order: CheckBlockHeader, the previous block, ContextualCheckBlockHeader,
        CheckBlock, ContextualCheckBlock, then (on the tip only) ConnectBlock. Lock held."""
        h = block.hash
        if h in self.entries:
            return "duplicate"
        # CheckBlockHeader: proof of work against the header's own bits.
        target, bad = bits_to_target(block.bits)
        if bad or target > bits_to_target(REGTEST_BITS)[0] or int.from_bytes(h, "little") > target:
            return "high-hash"
        prev = self.entries.get(block.prev_hash)
        if prev is None:
            return "prev-blk-not-found"
        height = prev.height + 1
        # ContextualCheckBlockHeader
        if block.bits != REGTEST_BITS:
            return "bad-diffbits"
        if block.time <= self.median_time_past(prev):
            return "time-too-old"
        if block.time > int(time.time()) + MAX_FUTURE_BLOCK_TIME:
            return "time-too-new"
        if block.version < 4:
            return f"bad-version(0x{block.version & 0xFFFFFFFF:08x})"
        # CheckBlock
        txs = block.txs
        root, mutated = merkle_root([t.txid for t in txs])
        if root != block.merkle_root:
            return "bad-txnmrklroot"
        if mutated:
            return "bad-txns-duplicate"
        if not txs or len(txs) * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT or \
                block.stripped_size * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT:
            return "bad-blk-length"
        if not txs[0].is_coinbase():
            return "bad-cb-missing"
        if any(t.is_coinbase() for t in txs[1:]):
            return "bad-cb-multiple"
        for t in txs:
            r = check_transaction(t)
            if r:
                return r
        if sum(tx_legacy_sigops(t) for t in txs) * WITNESS_SCALE_FACTOR > MAX_BLOCK_SIGOPS_COST:
            return "bad-blk-sigops"
        # ContextualCheckBlock
        cb = txs[0]
        if not cb.vin[0].script_sig.startswith(bip34_prefix(height)):
            return "bad-cb-height"
        ci = witness_commitment_index(cb)
        if ci != -1:
            wit = cb.vin[0].witness
            if len(wit) != 1 or len(wit[0]) != 32:
                return "bad-witness-nonce-size"
            wroot = witness_root([t.wtxid for t in txs])
            if sha256d(wroot + wit[0]) != cb.vout[ci].script[6:38]:
                return "bad-witness-merkle-match"
        else:
            if any(t.has_witness for t in txs):
                return "unexpected-witness"
        if block.weight > MAX_BLOCK_WEIGHT:
            return "bad-blk-weight"
        if prev.hash != self.tip.hash:
            # A valid block beside the tip: Core stores it and, with no more work than the tip,
            # does not connect it; submitblock then answers "inconclusive". The emulator keeps
            # it (a second submission is "duplicate") but never reorganizes.
            self.entries[h] = ChainEntry(h, height, block.time, prev.hash)
            with self.stats_lock:
                self.stats["stale"] += 1
            return "inconclusive"
        # ConnectBlock: every transaction must come from the mempool, parents first.
        seen: set[bytes] = set()
        fees = 0
        for t in txs[1:]:
            p = self.pool_by_txid.get(t.txid)
            if p is None or t.txid in seen:
                return "bad-txns-inputs-missingorspent"
            if p.tx.raw != t.raw:
                return "mandatory-script-verify-flag-failed"
            for i in t.vin:
                if i.prev_txid in self.pool_by_txid and i.prev_txid not in seen:
                    return "bad-txns-inputs-missingorspent"
            seen.add(t.txid)
            fees += p.fee
        if sum(self.pool_by_txid[t.txid].sigops for t in txs[1:]) + \
                tx_legacy_sigops(cb) * WITNESS_SCALE_FACTOR > MAX_BLOCK_SIGOPS_COST:
            return "bad-blk-sigops"
        if sum(o.value for o in cb.vout) > subsidy(height, self.halving) + fees:
            return "bad-cb-amount"
        if self.payout_script is not None:
            # The emulator's own rule: every output with value pays to --payout-address, and
            # something does.
            paid = [o for o in cb.vout if o.value > 0]
            if not paid or any(o.script != self.payout_script for o in paid):
                return "bad-cb-payout"
        self.connect(h, block.time)
        return None


def check_transaction(tx: Tx) -> str | None:
    """Core's CheckTransaction (consensus/tx_check.cpp)."""
    if not tx.vin:
        return "bad-txns-vin-empty"
    if not tx.vout:
        return "bad-txns-vout-empty"
    if len(tx.stripped) * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT:
        return "bad-txns-oversize"
    total = 0
    for o in tx.vout:
        if o.value < 0:
            return "bad-txns-vout-negative"
        if o.value > 21_000_000 * COIN:
            return "bad-txns-vout-toolarge"
        total += o.value
        if total > 21_000_000 * COIN:
            return "bad-txns-txouttotal-toolarge"
    outpoints = {(i.prev_txid, i.prev_index) for i in tx.vin}
    if len(outpoints) != len(tx.vin):
        return "bad-txns-inputs-duplicate"
    if tx.is_coinbase():
        if not 2 <= len(tx.vin[0].script_sig) <= 100:
            return "bad-cb-length"
    elif any(i.prev_txid == b"\0" * 32 and i.prev_index == 0xFFFFFFFF for i in tx.vin):
        return "bad-txns-prevout-null"
    return None


# ----------------------------------------------------------------------------------------------
# HTTP and JSON-RPC, after Core's httprpc.cpp and rpc/request.cpp


class JSONRPCVersion:
    V1 = 1
    V2 = 2


def reply_obj(result, error, rid, version, has_id=True) -> dict:
    out: dict = {}
    if version == JSONRPCVersion.V2:
        out["jsonrpc"] = "2.0"
    if error is None:
        out["result"] = result
        if version == JSONRPCVersion.V1:
            out["error"] = None
    else:
        if version == JSONRPCVersion.V1:
            out["result"] = None
        out["error"] = error
    if has_id:
        out["id"] = rid
    return out


def error_obj(code: int, message: str) -> dict:
    return {"code": code, "message": message}


def encode_reply(reply) -> bytes:
    """Compact JSON with raw UTF-8 like Core's UniValue (escaped instead when a string holds
    something UTF-8 cannot carry, such as a lone surrogate echoed from a request's id)."""
    try:
        return (json.dumps(reply, separators=(",", ":"), ensure_ascii=False) + "\n").encode()
    except UnicodeEncodeError:
        return (json.dumps(reply, separators=(",", ":")) + "\n").encode()


class ParsedRequest:
    def __init__(self):
        self.id = None
        self.has_id = True  # Core's default: replies before the id is parsed carry "id": null
        self.version = JSONRPCVersion.V1
        self.method = ""
        self.params = []

    @property
    def is_notification(self) -> bool:
        return not self.has_id and self.version == JSONRPCVersion.V2

    def parse(self, obj) -> None:
        if not isinstance(obj, dict):
            raise RPCError(RPC_INVALID_REQUEST, "Invalid Request object")
        self.has_id = "id" in obj
        self.id = obj.get("id")
        v = obj.get("jsonrpc")
        if v is not None:
            if not isinstance(v, str):
                raise RPCError(RPC_INVALID_REQUEST, "jsonrpc field must be a string")
            if v == "2.0":
                self.version = JSONRPCVersion.V2
            elif v != "1.0":
                raise RPCError(RPC_INVALID_REQUEST, "JSON-RPC version not supported")
        if "method" not in obj:
            raise RPCError(RPC_INVALID_REQUEST, "Missing method")
        if not isinstance(obj["method"], str):
            raise RPCError(RPC_INVALID_REQUEST, "Method must be a string")
        self.method = obj["method"]
        params = obj.get("params")
        if params is None:
            params = []
        if not isinstance(params, (list, dict)):
            raise RPCError(RPC_INVALID_REQUEST, "Params must be an array or object")
        self.params = params


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "node_emulator/1.0"
    node: Node  # set on the class by main()

    def log_message(self, fmt, *a):  # quiet: one line per request would drown the test logs
        pass

    def send(self, status: int, body: bytes = b"", ctype: str = "application/json",
             extra: dict | None = None) -> None:
        self.send_response(status)
        if body or status != 204:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        self.read_body()
        self.send(405, b"JSONRPC server handles only POST requests", "text/html")

    do_PUT = do_GET
    do_DELETE = do_GET
    do_HEAD = do_GET

    def read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked), or None when it cannot be read."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            body = bytearray()
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    return None
                if size < 0 or len(body) + size > 64 * 1024 * 1024:
                    return None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return bytes(body)
                body += self.rfile.read(size)
                self.rfile.readline(1024)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            n = int(length)
        except ValueError:
            return None
        if n < 0 or n > 64 * 1024 * 1024:
            return None
        return self.rfile.read(n)

    def authorized(self) -> bool:
        expected = self.node.credentials
        if expected is None:
            return True
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return False
        try:
            userpass = base64.b64decode(auth[6:].strip(), validate=True).decode("utf-8", "replace")
        except ValueError:
            return False
        return hmac.compare_digest(userpass.encode(), expected.encode())

    def do_POST(self):
        body = self.read_body()
        if body is None:
            self.send(400, b"bad Content-Length", "text/plain", {"Connection": "close"})
            self.close_connection = True
            return
        if self.path != "/" and not self.path.startswith("/wallet/"):
            self.send(404, b"", "text/html")
            return
        if "Authorization" not in self.headers and self.node.credentials is not None:
            self.send(401, b"", "text/html", {"WWW-Authenticate": 'Basic realm="jsonrpc"'})
            return
        if not self.authorized():
            log(f"ThreadRPCServer incorrect password attempt from {self.client_address[0]}")
            self.send(401, b"", "text/html", {"WWW-Authenticate": 'Basic realm="jsonrpc"'})
            return
        if self.node.outage(body):
            self.close_connection = True  # no answer at all
            return
        status, reply = self.execute(body)
        if status == 204:
            self.send(204)
            return
        self.send(status, encode_reply(reply))

    def execute(self, body: bytes) -> tuple[int, object]:
        jreq = ParsedRequest()
        try:
            try:
                val = json.loads(body)
            except (ValueError, UnicodeDecodeError):
                raise RPCError(RPC_PARSE_ERROR, "Parse error") from None
            if isinstance(val, dict):
                jreq.parse(val)
                if jreq.version == JSONRPCVersion.V2:
                    reply = self.exec_one(jreq, catch=True)
                else:
                    reply = self.exec_one(jreq, catch=False)
                if jreq.is_notification:
                    return 204, None
                return 200, reply
            if isinstance(val, list):
                replies = []
                for item in val:
                    one = ParsedRequest()
                    try:
                        one.parse(item)
                        r = self.exec_one(one, catch=True)
                    except RPCError as e:
                        r = reply_obj(None, error_obj(e.code, e.message), one.id, one.version, one.has_id)
                    if not one.is_notification:
                        replies.append(r)
                if not replies and val:
                    return 204, None
                return 200, replies
            raise RPCError(RPC_PARSE_ERROR, "Top-level object parse error")
        except RPCError as e:
            status = 500
            if e.code == RPC_INVALID_REQUEST:
                status = 400
            elif e.code == RPC_METHOD_NOT_FOUND:
                status = 404
            return status, reply_obj(None, error_obj(e.code, e.message), jreq.id, jreq.version, jreq.has_id)

    def exec_one(self, jreq: ParsedRequest, catch: bool) -> dict:
        try:
            result = self.node.dispatch(jreq.method, jreq.params)
        except RPCError as e:
            if not catch:
                raise
            return reply_obj(None, error_obj(e.code, e.message), jreq.id, jreq.version, jreq.has_id)
        except Exception as e:  # a bug here must still answer, like Core's std::exception path
            log(f"internal error in {jreq.method}: {e!r}")
            err = RPCError(RPC_MISC_ERROR, f"internal error: {e}")
            if not catch:
                raise err from None
            return reply_obj(None, error_obj(err.code, err.message), jreq.id, jreq.version, jreq.has_id)
        return reply_obj(result, None, jreq.id, jreq.version, jreq.has_id)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description="Bitcoin Core RPC emulator for solo-mining tests")
    ap.add_argument("--port-file", required=True, help="written with the bound port once listening")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--chain", default="regtest", choices=["regtest", "main", "test", "testnet4", "signet"])
    ap.add_argument("--payout-address", help="every accepted block's coinbase must pay to this address")
    ap.add_argument("--rpc-user")
    ap.add_argument("--rpc-pass")
    ap.add_argument("--cookie-file", help="write __cookie__:<random hex> here and require it")
    ap.add_argument("--warmup-seconds", type=float, default=0.0,
                    help="answer RPC error -28 for this long after the first call")
    ap.add_argument("--ibd-seconds", type=float, default=0.0,
                    help="report initial block download for this long after the first call")
    ap.add_argument("--block-interval", type=float, default=0.0,
                    help="another miner finds a block every N seconds (0: never)")
    ap.add_argument("--outage-on-submit", type=float, default=0.0, metavar="SECONDS",
                    help="the first submitblock starts SECONDS without answers, and another "
                         "miner's block moves the tip at its start")
    ap.add_argument("--time-ahead", type=float, default=0.0, metavar="SECONDS",
                    help="the chain's timestamps run this far ahead of the clock (its median "
                         "time past too), as on a regtest chain mined faster than one a second")
    ap.add_argument("--no-longpoll", action="store_true")
    ap.add_argument("--longpoll-timeout", type=float, default=60.0,
                    help="a long poll on an unchanged tip returns a fresh template after this long")
    ap.add_argument("--idle-timeout", type=float, default=30.0,
                    help="close a keep-alive connection idle this long (Core's -rpcservertimeout)")
    ap.add_argument("--stats-file")
    ap.add_argument("--reject-all", metavar="REASON")
    ap.add_argument("--template-block", default="482683", choices=["482683", "300025", "empty"])
    args = ap.parse_args(argv)
    if (args.rpc_user is None) != (args.rpc_pass is None):
        ap.error("--rpc-user and --rpc-pass go together")
    if args.rpc_user is not None and args.cookie_file:
        ap.error("--cookie-file and --rpc-user/--rpc-pass are exclusive")
    if args.payout_address:
        try:
            address_to_script(args.payout_address)
        except ValueError as e:
            ap.error(f"--payout-address: {e}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    # Before the blocks are parsed, so that an early SIGTERM still ends in an orderly exit.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    node = Node(args)
    node.credentials = None
    if args.rpc_user is not None:
        node.credentials = f"{args.rpc_user}:{args.rpc_pass}"
    elif args.cookie_file:
        node.credentials = "__cookie__:" + secrets.token_hex(32)
        tmp = args.cookie_file + ".tmp"
        with open(tmp, "w", encoding="ascii") as f:
            f.write(node.credentials)
        os.chmod(tmp, 0o600)
        os.replace(tmp, args.cookie_file)
    Handler.node = node
    Handler.timeout = args.idle_timeout if args.idle_timeout > 0 else None
    server = Server((args.host, args.port), Handler)
    port = server.server_address[1]
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    serving.start()
    node.write_stats()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(f"{port}\n")
    os.replace(tmp, args.port_file)
    log(f"listening on {args.host}:{port}, chain {args.chain}, tip height {node.tip.height}, "
        f"{len(node.mempool)} template transactions from {args.template_block}")
    next_block = time.monotonic() + args.block_interval if args.block_interval > 0 else None
    while not stop.is_set():
        timeout = 0.5 if next_block is None else max(0.0, min(0.5, next_block - time.monotonic()))
        stop.wait(timeout)
        if next_block is not None and time.monotonic() >= next_block:
            node.other_miner_block()
            next_block += args.block_interval
    log("shutting down")
    with node.lock:
        node.stopping = True
        node.lock.notify_all()
    server.shutdown()
    server.server_close()
    node.write_stats()
    if args.cookie_file and os.path.exists(args.cookie_file):
        os.remove(args.cookie_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
