#!/usr/bin/env python3
"""`mine --config FILE` is the same contract as the flags: every long option is a key with the
same effect, the command line beats the file, and a bad file is one line naming file and key."""

import json
import os
import re
import unittest

from cli_support import CliTest, Pool, run, write_json

POOL_URL = "stratum+tcp://127.0.0.1:3333"
NODE_URL = "http://127.0.0.1:18443"
ADDR = "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080"
SOLO = ["--coinbase-addr", ADDR]

# For every long option of `mine` that a config file may hold: the command-line spelling and the
# config value. The key is the long name without dashes. --print-config shows the settings both
# give; they must be identical (and differ from the defaults).
EQUIVALENT = {
    "url": (["-o", POOL_URL, "-u", "a.w"], {"url": POOL_URL, "user": "a.w"}),
    "user": (["-u", "bc1qexample.rig"], {"user": "bc1qexample.rig"}),
    "pass": (["-p", "secret"], {"pass": "secret"}),
    "backup-url": (["-o", POOL_URL, "-u", "a", "--backup-url", "stratum+tcp://127.0.0.1:4444",
                    "--backup-url", "stratum+ssl://127.0.0.1:5555"],
                   {"url": POOL_URL, "user": "a",
                    "backup-url": ["stratum+tcp://127.0.0.1:4444",
                                   "stratum+ssl://127.0.0.1:5555"]}),
    "threads": (["-t", "3"], {"threads": 3}),
    "cpu-impl": (["--cpu-impl", "generic"], {"cpu-impl": "generic"}),
    "cpu-affinity": (["--cpu-affinity"], {"cpu-affinity": True}),
    "suggest-difficulty": (["--suggest-difficulty", "0.5"], {"suggest-difficulty": 0.5}),
    "no-version-rolling": (["--no-version-rolling"], {"no-version-rolling": True}),
    "extranonce-subscribe": (["--extranonce-subscribe"], {"extranonce-subscribe": True}),
    "allow-redirect": (["--allow-redirect"], {"allow-redirect": True}),
    "duration": (["--duration", "7.5"], {"duration": 7.5}),
    "reject-storm": (["--reject-storm", "0"], {"reject-storm": 0}),
    "status-interval": (["--status-interval", "3"], {"status-interval": 3}),
    "local-difficulty": (["--local-difficulty", "0.01"], {"local-difficulty": 0.01}),
    "power-watts": (["--power-watts", "120"], {"power-watts": 120}),
    "electricity-price": (["--electricity-price", "0.25"], {"electricity-price": 0.25}),
    "btc-price": (["--btc-price", "90000"], {"btc-price": 90000}),
    "pool-fee": (["--pool-fee", "2"], {"pool-fee": 2}),
    "quiet": (["-q"], {"quiet": True}),
    "debug": (["-D"], {"debug": True}),
    "log-level": (["--log-level", "warn"], {"log-level": "warn"}),
    "no-color": (["--no-color"], {"no-color": True}),
    "no-api": (["--no-api"], {"no-api": True}),
    "api-bind": (["--api-bind", "127.0.0.1:4999"], {"api-bind": "127.0.0.1:4999"}),
    "api-token": (["--api-token", "0123456789abcdef0123"], {"api-token": "0123456789abcdef0123"}),
    "api-cgminer": (["--api-cgminer", "127.0.0.1:4028"], {"api-cgminer": "127.0.0.1:4028"}),
    "api-allow-host": (["--api-allow-host", "rig.lan", "--api-allow-host", "10.0.0.5"],
                       {"api-allow-host": ["rig.lan", "10.0.0.5"]}),
    "api-cgminer-remote": (["--api-cgminer-remote"], {"api-cgminer-remote": True}),
    # Solo mining on a node: each needs the node and the payout address.
    "solo": (["--solo", NODE_URL] + SOLO, {"solo": NODE_URL, "coinbase-addr": ADDR}),
    "coinbase-addr": (["-o", NODE_URL, "--coinbase-addr", ADDR],
                      {"url": NODE_URL, "coinbase-addr": ADDR}),
    "rpc-cookie": (["--solo", NODE_URL] + SOLO + ["--rpc-cookie", "/run/bitcoind/.cookie"],
                   {"solo": NODE_URL, "coinbase-addr": ADDR, "rpc-cookie": "/run/bitcoind/.cookie"}),
    "rpc-user": (["--solo", NODE_URL] + SOLO + ["--rpc-user", "alice", "--rpc-pass", "pw"],
                 {"solo": NODE_URL, "coinbase-addr": ADDR, "rpc-user": "alice", "rpc-pass": "pw"}),
    "rpc-pass": (["--solo", NODE_URL] + SOLO + ["--rpc-user", "bob", "--rpc-pass", "pw2"],
                 {"solo": NODE_URL, "coinbase-addr": ADDR, "rpc-user": "bob", "rpc-pass": "pw2"}),
    "coinbase-sig": (["--solo", NODE_URL] + SOLO + ["--coinbase-sig", "/rig7/"],
                     {"solo": NODE_URL, "coinbase-addr": ADDR, "coinbase-sig": "/rig7/"}),
    "solo-share-difficulty": (["--solo", NODE_URL] + SOLO + ["--solo-share-difficulty", "2.5"],
                              {"solo": NODE_URL, "coinbase-addr": ADDR,
                               "solo-share-difficulty": 2.5}),
    "template-refresh": (["--solo", NODE_URL] + SOLO + ["--template-refresh", "12"],
                         {"solo": NODE_URL, "coinbase-addr": ADDR, "template-refresh": 12}),
}

# Options that name files: given a path in the test folder.
FILE_OPTIONS = {"log-file", "json-summary"}
# Folders: given the test folder (with a node, as solo mining needs).
DIR_OPTIONS = {"blocks-dir"}
# Options that are not settings of a run, or need other parts (GPUs, TLS pools): covered below
# or by their own tests.
NOT_SETTINGS = {"help", "config", "print-config", "scantime", "background", "cpu-priority",
                "algo"}


def mine_long_options():
    """The long options `mine --help` lists."""
    r = run(["mine", "--help"])
    return sorted(set(re.findall(r"^\s+(?:-\w,)?--([a-z][a-z0-9-]+)", r.out, re.M)))


class ConfigFile(CliTest):
    def test_every_key_has_the_effect_of_its_flag(self):
        defaults = self.print_config([])
        covered = set()
        for key, (flags, config) in EQUIVALENT.items():
            with self.subTest(key=key):
                from_flags = self.print_config(flags)
                cfg = write_json(self.tmp, key + ".json", config)
                from_file = self.print_config(["--config", cfg])
                self.assertEqual(from_flags, from_file)
                self.assertNotEqual(from_flags, defaults, "the option changed nothing")
                covered.add(key)
        for key in FILE_OPTIONS:
            with self.subTest(key=key):
                target = self.path(key + ".out")
                from_flags = self.print_config(["--" + key, target])
                cfg = write_json(self.tmp, key + ".json", {key: target})
                self.assertEqual(from_flags, self.print_config(["-c", cfg]))
                self.assertNotEqual(from_flags, defaults)
                covered.add(key)
        for key in DIR_OPTIONS:
            with self.subTest(key=key):
                from_flags = self.print_config(["--solo", NODE_URL] + SOLO + ["--" + key, self.tmp])
                cfg = write_json(self.tmp, key + ".json",
                                 {"solo": NODE_URL, "coinbase-addr": ADDR, key: self.tmp})
                self.assertEqual(from_flags, self.print_config(["-c", cfg]))
                self.assertEqual(from_flags["solo"]["blocks_dir"], self.tmp)
                covered.add(key)
        # Every long option of `mine --help` is covered here, or named as no setting, or needs
        # hardware or a TLS pool (their keys are still accepted: see the next test).
        hardware_or_tls = {"cuda", "no-cuda", "no-cpu", "tls-ca", "tls-fingerprint",
                           "tls-insecure", "proxy", "protocol-dump", "retries", "retry-pause",
                           "timeout"}
        options = mine_long_options()
        self.assertTrue({"url", "user", "threads", "config", "api-bind"} <= set(options), options)
        missing = [o for o in options
                   if o not in covered and o not in NOT_SETTINGS and o not in hardware_or_tls]
        self.assertEqual(missing, [], "long options of `mine` without a config test")

    def test_the_command_line_beats_the_file(self):
        cfg = write_json(self.tmp, "c.json", {"threads": 3, "duration": 9, "user": "file.user",
                                              "backup-url": ["stratum+tcp://127.0.0.1:1"],
                                              "url": POOL_URL})
        s = self.print_config(["-c", cfg, "-t", "1", "-u", "cli.user", "--backup-url",
                               "stratum+tcp://127.0.0.1:2"])
        self.assertEqual(s["threads"], 1)
        self.assertEqual(s["duration_seconds"], 9)
        self.assertEqual(s["user"], "cli.user")
        self.assertEqual(s["pools"], [POOL_URL, "stratum+tcp://127.0.0.1:2"])

    def test_a_config_file_drives_a_real_run(self):
        with Pool() as pool:
            summary = self.path("summary.json")
            cfg = write_json(self.tmp, "run.json", {
                "url": pool.url, "user": "cfg.worker", "threads": 1, "duration": 3,
                "no-api": True, "json-summary": summary})
            r = run(["mine", "--config", cfg], timeout=60)
            self.assertEqual(r.rc, 0, r)
            self.assertNotIn("embedded local demo pool", r.err)
            self.assertIn("on 1 thread(s)", r.err)
            with open(summary) as f:
                s = json.load(f)
            self.assertEqual(s["pools"], [{"url": pool.url, "user": "cfg.worker"}])
            self.assertEqual(s["stop_reason"], "duration reached")
            self.assertLess(s["elapsed_seconds"], 30)

    def test_algo_key_is_checked_like_the_flag(self):
        ok = write_json(self.tmp, "ok.json", {"algo": "sha256d"})
        self.assertEqual(self.print_config(["-c", ok]), self.print_config(["-a", "sha256d"]))
        bad = write_json(self.tmp, "bad.json", {"algo": "scrypt"})
        self.assertUsageError(run(["mine", "-c", bad]), "key 'algo'", "only sha256d")

    def test_bad_files_are_one_line_naming_file_and_key(self):
        big = "{" + ", ".join('"k%d": 1' % i for i in range(120000)) + "}"
        cases = [
            ("not json {", "not valid JSON"),
            ("[1, 2]", "must be a JSON object"),
            ("", "empty"),
            ("   \n", "empty"),
            ('url = "stratum+tcp://x:1"\n', "not valid JSON"),  # TOML
            ('{"treads": 2}', "key 'treads': not an option"),
            ('{"threads": "many"}', "key 'threads'"),
            ('{"threads": 0}', "key 'threads': must be a whole number from 1 to 4096"),
            ('{"duration": "nan"}', "key 'duration'"),
            ('{"threads": [1, 2]}', "key 'threads': takes one value"),
            ('{"no-cpu": "yes"}', "key 'no-cpu': a switch"),
            ('{"threads": true}', "key 'threads': takes a value"),
            ('{"url": {"host": "x"}}', "key 'url'"),
            ('{"url": null}', "key 'url'"),
            ('{"config": "other.json"}', "key 'config'"),
            (big, "larger than 1 MiB"),
        ]
        for text, needle in cases:
            with self.subTest(text=text[:40]):
                cfg = write_json(self.tmp, "bad.json", text)
                r = run(["mine", "--config", cfg])
                self.assertUsageError(r, "config file " + cfg, needle)
        for path, needle in [(self.tmp, "is a directory"), ("/dev/zero", "not a regular file"),
                             (self.path("missing.json"), "cannot be read")]:
            with self.subTest(path=path):
                self.assertUsageError(run(["mine", "-c", path]), "config file", needle)


if __name__ == "__main__":
    unittest.main()
