#!/usr/bin/env python3
"""The layer check on the repository, and on small trees that break each rule."""
import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
CHECK = HERE / "check_includes.py"
REPO = HERE.parent.parent


def run(root):
    return subprocess.run([sys.executable, str(CHECK), str(root)], capture_output=True,
                          text=True, timeout=60)


def tree(files):
    root = pathlib.Path(tempfile.mkdtemp())
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


class Layers(unittest.TestCase):
    def test_the_repository_keeps_its_layers(self):
        result = run(REPO)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertRegex(result.stdout, r"[1-9]\d* files checked, 0 includes against")

    def test_each_upward_include_is_named(self):
        root = tree({
            "include/nonceforge/core/a.hpp": '#include "nonceforge/stratum/s.hpp"\n',
            "include/nonceforge/stratum/s.hpp": '#include "nonceforge/core/ok.hpp"\n',
            "include/nonceforge/core/ok.hpp": "",
            "kernels/k.hpp": '#include "miner/cpu/m.hpp"\n',
            "miner/cpu/m.hpp": '#include "nonceforge/stratum/s.hpp"\n',
            "stratum/x.cpp": '#include "../miner/cpu/m.hpp"\n',
            "miner/app/wires.cpp": '#include "miner/cpu/m.hpp"\n#include "nonceforge/stratum/s.hpp"\n',
            "miner/cuda/c.cpp": '#include "kernels/k.hpp"\n#include "miner/app/wires.cpp"\n',
        })
        result = run(root)
        self.assertEqual(result.returncode, 1, result.stdout)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[-1], "8 files checked, 5 includes against the layers")
        for where in ("include/nonceforge/core/a.hpp:1: core", "kernels/k.hpp:1: kernels",
                      "miner/cpu/m.hpp:1: miner", "stratum/x.cpp:1: stratum",
                      "miner/cuda/c.cpp:2: miner"):
            self.assertTrue(any(line.startswith(where) for line in lines), (where, lines))

    def test_an_include_of_no_file_is_reported(self):
        root = tree({"stratum/x.cpp": '#include "nowhere.hpp"\n'})
        result = run(root)
        self.assertEqual(result.returncode, 1)
        self.assertIn('stratum/x.cpp:1: "nowhere.hpp" is not a file of the repository',
                      result.stdout)


if __name__ == "__main__":
    unittest.main()
