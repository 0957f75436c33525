#!/usr/bin/env python3
"""Fails when a source file includes from a layer above its own.

The layers (docs/architecture.md), lowest first, and what each may include:
  core     include/nonceforge/core/           core
  kernels  kernels/                           core, kernels
  stratum  include/nonceforge/stratum/, stratum/   core, stratum
  miner    miner/ (but miner/app/)            core, kernels, miner
  app      miner/app/                         everything
tests/ and bench/ may include anything. A quoted include is resolved against the including
file's folder first, then against the include roots (the repository and include/).
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
SOURCES = (".hpp", ".cpp", ".cu", ".cuh", ".h")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)
ALLOWED = {
    "core": {"core"},
    "kernels": {"core", "kernels"},
    "stratum": {"core", "stratum"},
    "miner": {"core", "kernels", "miner"},
    "app": {"core", "kernels", "stratum", "miner", "app"},
}


def layer_of(path: pathlib.Path):
    rel = path.relative_to(ROOT).as_posix()
    for prefix, layer in (("include/nonceforge/core/", "core"), ("kernels/", "kernels"),
                          ("include/nonceforge/stratum/", "stratum"), ("stratum/", "stratum"),
                          ("miner/app/", "app"), ("miner/", "miner")):
        if rel.startswith(prefix):
            return layer
    return None


def resolve(source: pathlib.Path, name: str):
    for base in (source.parent, ROOT, ROOT / "include"):
        candidate = (base / name).resolve()
        if candidate.is_file():
            return candidate
    return None


def main() -> int:
    problems = []
    checked = 0
    sources = [p for top in ("include", "kernels", "stratum", "miner") for p in (ROOT / top).rglob("*")]
    for source in sorted(sources):
        if source.suffix not in SOURCES or not source.is_file():
            continue
        layer = layer_of(source)
        if layer is None:
            continue
        checked += 1
        text = source.read_text(encoding="utf-8", errors="replace")
        for match in INCLUDE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            where = f"{source.relative_to(ROOT)}:{line}"
            target = resolve(source, match.group(1))
            if target is None:
                problems.append(f'{where}: "{match.group(1)}" is not a file of the repository')
                continue
            target_layer = layer_of(target)
            if target_layer is not None and target_layer not in ALLOWED[layer]:
                problems.append(f'{where}: {layer} includes "{match.group(1)}" '
                                f"from the {target_layer} layer above it")
    for problem in problems:
        print(problem)
    print(f"{checked} files checked, {len(problems)} includes against the layers")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
