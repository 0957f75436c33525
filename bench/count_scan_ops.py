#!/usr/bin/env python3
"""Counts the instructions of the CPU scan loops in the built scan objects.

For each ScanChunk_* function in the given object files (default: the AVX-512 and SHA-NI scan
objects of a build tree), disassembles it with `objdump -d --no-show-raw-insn`, finds its scan
loop (the backward branch that spans the most instructions: the loop over batches of nonces;
the small loop that reports survivors is inside it but runs only for survivors, which are rare)
and prints, per 16 nonces:

  vpaddd      32-bit vector adds (any width, with or without a memory/broadcast operand)
  vpternlogd  ternary logic (Ch, Maj, the three-way XOR of a sigma)
  rotates     vprord / vprold
  shifts      vpsrld / vpslld / psrld / pslld (and the other 32-bit shifts)
  sha         sha256rnds2 / sha256msg1 / sha256msg2
  other ALU   every other vector ALU instruction (xor, or, and, shuffles, compares, ...)
  ALU total   the sum of the classes above
  moves       vector register/memory moves and broadcasts (vmovdqa*, vmovdqu*, vpbroadcast*)
  spills      vector stores to the stack (rsp/rbp-relative) inside the loop
  reloads     vector loads from the stack inside the loop (plain moves)
  stack ops   ALU instructions that read a stack slot as a memory operand (folded reloads)

Lanes per loop iteration come from the function name (ScanChunk_16way_x2: 32 lanes).

Usage:
  bench/count_scan_ops.py [--build-dir build] [--function REGEX] [--json] [objects...]
Exit status 0 when at least one scan function was found and analysed, 1 otherwise.
"""

import argparse
import json
import os
import re
import subprocess
import sys

DEFAULT_OBJECTS = [
    "miner/CMakeFiles/nf_scan_avx512.dir/cpu/scan_avx512.cpp.o",
    "miner/CMakeFiles/nf_scan_shani.dir/cpu/scan_shani.cpp.o",
    "miner/CMakeFiles/nf_scan_shani_vl.dir/cpu/scan_shani_vl.cpp.o",
]

FUNC_RE = re.compile(r"^[0-9a-f]+ <(.*)>:$")
INSN_RE = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$")
JUMP_RE = re.compile(r"^j[a-z]+$")
STACK_RE = re.compile(r"\(%r[sb]p\)")

ALU_CLASSES = ["vpaddd", "vpternlogd", "rotates", "shifts", "sha", "other ALU"]
ROWS = ALU_CLASSES + ["ALU total", "moves", "spills", "reloads", "stack ops"]


def vector_operand(operands):
    return re.search(r"%[xyz]mm", operands) is not None


def classify(mnemonic, operands):
    """Returns the ALU class of a vector instruction, 'move', or None (scalar/other)."""
    m = mnemonic
    if m.startswith("sha256"):
        return "sha"
    if not vector_operand(operands):
        return None
    if re.match(r"^v?(movdq[au](8|16|32|64)?|movaps|movups|movap[sd]|movup[sd]|pbroadcast[bwdq]|"
                r"broadcasti32x4|broadcasti64x4|movd|movq)$", m):
        return "move"
    if m in ("vpaddd", "paddd"):
        return "vpaddd"
    if m == "vpternlogd" or m == "vpternlogq":
        return "vpternlogd"
    if m in ("vprord", "vprold", "vprorvd", "vprolvd"):
        return "rotates"
    if re.match(r"^v?ps(rl|ll|ra)(d|q|w|dq)$", m):
        return "shifts"
    if re.match(r"^(v?p|vp|v)", m) or m.startswith("p") or m.startswith("k"):
        return "other ALU"
    return "other ALU"


def disassemble(obj):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-C", "-w", obj],
                         check=True, capture_output=True, text=True).stdout
    funcs = {}
    name = None
    for line in out.splitlines():
        fm = FUNC_RE.match(line)
        if fm:
            name = fm.group(1)
            funcs[name] = []
            continue
        if name is None:
            continue
        im = INSN_RE.match(line)
        if im:
            addr = int(im.group(1), 16)
            mnemonic = im.group(2)
            operands = im.group(3).split("#")[0].strip()
            funcs[name].append((addr, mnemonic, operands))
    return funcs


def find_loop(insns):
    """The backward jump spanning the most instructions: (first index, last index)."""
    index = {a: i for i, (a, _, _) in enumerate(insns)}
    best = None
    for i, (_, m, ops) in enumerate(insns):
        if not JUMP_RE.match(m):
            continue
        tm = re.match(r"^([0-9a-f]+)\b", ops)
        if not tm:
            continue
        target = int(tm.group(1), 16)
        if target in index and index[target] <= i:
            span = (index[target], i)
            if best is None or span[1] - span[0] > best[1] - best[0]:
                best = span
    return best


def lanes_of(name):
    m = re.search(r"ScanChunk_(\d+)way(_x(\d+))?", name)
    if not m:
        return None
    return int(m.group(1)) * (int(m.group(3)) if m.group(3) else 1)


def count(insns, span):
    c = {k: 0 for k in ROWS}
    for _, m, ops in insns[span[0]:span[1] + 1]:
        cls = classify(m, ops)
        if cls is None:
            continue
        on_stack = STACK_RE.search(ops) is not None
        if cls == "move":
            c["moves"] += 1
            if on_stack:
                # AT&T syntax: the destination is last.
                if STACK_RE.search(ops.split(",")[-1]):
                    c["spills"] += 1
                else:
                    c["reloads"] += 1
            continue
        c[cls] += 1
        c["ALU total"] += 1
        if on_stack:
            c["stack ops"] += 1
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", default="build")
    ap.add_argument("--function", default=r"ScanChunk_",
                    help="regex over the demangled function name (default: every scan)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("objects", nargs="*")
    args = ap.parse_args()

    objects = args.objects or [os.path.join(args.build_dir, o) for o in DEFAULT_OBJECTS]
    results = []
    for obj in objects:
        if not os.path.exists(obj):
            print(f"count_scan_ops: {obj}: no such object (build the nf_miner target first)",
                  file=sys.stderr)
            continue
        for name, insns in disassemble(obj).items():
            if not re.search(args.function, name):
                continue
            lanes = lanes_of(name)
            span = find_loop(insns)
            if lanes is None or span is None:
                print(f"count_scan_ops: {name}: no scan loop found", file=sys.stderr)
                continue
            raw = count(insns, span)
            per16 = {k: v * 16.0 / lanes for k, v in raw.items()}
            short = re.sub(r"^.*::", "", name.split("(")[0]).replace("ScanChunk_", "")
            stem = re.sub(r"^scan_|\.cpp\.o$|\.o$", "", os.path.basename(obj))
            short = f"{stem}/{short}"
            results.append({"object": os.path.basename(obj), "function": short, "lanes": lanes,
                            "loop_instructions": span[1] - span[0] + 1, "per_16_nonces": per16})
    if not results:
        print("count_scan_ops: no scan function found", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    head = f"{'per 16 nonces':<12}" + "".join(f"{r['function']:>20}" for r in results)
    print(head)
    print(f"{'lanes':<12}" + "".join(f"{r['lanes']:>20}" for r in results))
    for k in ROWS:
        print(f"{k:<12}" + "".join(f"{r['per_16_nonces'][k]:>20.0f}" for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
