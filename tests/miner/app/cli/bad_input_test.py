#!/usr/bin/env python3
"""Bad input on the command line: exit status 2, one line on stderr naming the option, and
nothing started (no CPU race, no pool connection)."""

import unittest

from cli_support import CliTest, run

POOL = ["-o", "stratum+tcp://127.0.0.1:1", "-u", "addr.w"]

# (arguments, words the one error line must contain)
BAD = [
    (["mine", "--duration", "nan"], ["--duration", "nan"]),
    (["mine", "--duration", "inf"], ["--duration", "inf"]),
    (["mine", "--duration", "0"], ["--duration", "> 0"]),
    (["mine", "--duration", "10s"], ["--duration", "number of seconds", '"10s"']),
    (["mine", "--duration", "1e999"], ["--duration"]),
    (["mine", "--duration=-3"], ["--duration"]),
    (["mine", "--suggest-difficulty", "nan"], ["--suggest-difficulty", "nan"]),
    (["mine", "--suggest-difficulty", "0"], ["--suggest-difficulty"]),
    (["mine", "--status-interval", "nan"], ["--status-interval"]),
    (["mine", "--status-interval", "0.5"], ["--status-interval", ">= 1"]),
    (["mine", "--pool-fee", "nan"], ["--pool-fee"]),
    (["mine", "--pool-fee", "101"], ["--pool-fee", "<= 100"]),
    (["mine", "--power-watts", "-1"], ["--power-watts"]),
    (["mine", "--electricity-price", "inf"], ["--electricity-price"]),
    (["mine", "--btc-price", "x"], ["--btc-price"]),
    (["mine", "--local-difficulty", "nan"], ["--local-difficulty"]),
    (["mine", "-t", "0"], ["--threads", "from 1 to 4096"]),
    (["mine", "-t", "two"], ["--threads"]),
    (["mine", "-t", "1.5"], ["--threads"]),
    (["mine", "--cuda", "x"], ["--cuda"]),
    (["mine", "--log-level", "loud"], ["--log-level"]),
    (["mine", "-a", "scrypt"], ["--algo", "only sha256d"]),
    (["mine", "-s", "5"], ["--scantime", "not supported"]),
    (["mine", "-B"], ["--background", "not supported"]),
    (["mine", "--no-such-option"], ["--no-such-option"]),
    (["mine", "-o", "http://pool:1", "-u", "a"], ["-o/--url"]),
    (["mine", "-o", "stratum+tcp://127.0.0.1:3333"], ["-u/--user"]),
    (["mine", "--backup-url", "stratum+tcp://127.0.0.1:3333"], ["--backup-url", "-o"]),
    (["mine"] + POOL + ["--backup-url", "nope"], ["--backup-url"]),
    (["mine", "--api-bind", "localhost"], ["--api-bind"]),
    (["mine", "--api-bind", "127.0.0.1:70000"], ["--api-bind"]),
    (["mine", "--api-cgminer", "nowhere:4028"], ["--api-cgminer"]),
    (["mine", "--api-cgminer", "0.0.0.0:4028"], ["--api-cgminer", "--api-cgminer-remote"]),
    (["mine", "--api-token", " "], ["--api-token"]),
    (["mine", "--api-token", "short"], ["--api-token", "too short"]),
    (["mine", "--api-bind", "0.0.0.0:4048"], ["--api-bind", "--api-token"]),
    (["mine", "--api-allow-host", "bad host!"], ["--api-allow-host"]),
    (["mine", "--log-file", "/nonexistent-folder/x/nf.log"], ["--log-file", "does not exist"]),
    (["mine", "--json-summary", "/nonexistent-folder/s.json"], ["--json-summary"]),
    (["mine", "--config", "/nonexistent-folder/c.json"], ["config file", "cannot be read"]),
    (["benchmark", "--seconds", "nan"], ["--seconds"]),
    (["benchmark", "--seconds", "0"], ["--seconds", ">= 0.2"]),
    (["benchmark", "-t", "0"], ["--threads"]),
    (["benchmark", "-a", "x11"], ["--algo", "only sha256d"]),
    (["benchmark", "--json-file", "/nonexistent-folder/b.json"], ["--json-file"]),
    (["pool", "--job-interval", "nan"], ["--job-interval"]),
    (["pool", "--block-interval", "-1"], ["--block-interval"]),
    (["pool", "--difficulty", "0"], ["--difficulty"]),
    (["pool", "--port", "70000"], ["--port"]),
    (["pool", "--duration", "nan"], ["--duration"]),
    (["nosuchcommand"], ["nosuchcommand"]),
]


class BadInput(CliTest):
    def test_each_bad_input_is_one_line_and_exit_2(self):
        for args, needles in BAD:
            with self.subTest(args=" ".join(args)):
                r = run(args, timeout=30)
                self.assertUsageError(r, *needles)
                self.assertLess(r.seconds, 10, r)

    def test_range_messages_are_human(self):
        r = run(["mine", "--duration", "0"])
        self.assertUsageError(r)
        # No 300-digit DBL_MAX, and the bound as a person writes it.
        self.assertLess(len(r.err), 200, r)
        self.assertIn("<= 1000000000", r.err)

    def test_help_and_version_exit_0(self):
        for args in (["--help"], ["mine", "--help"], ["benchmark", "--help"], ["--version"]):
            with self.subTest(args=args):
                r = run(args)
                self.assertEqual(r.rc, 0, r)
                self.assertTrue(r.out.strip(), r)

    def test_cpuminer_habits_are_understood(self):
        # --benchmark without a subcommand runs `benchmark`.
        r = run(["--benchmark", "--seconds", "0.2", "-t", "1", "--cpu-impl", "generic",
                 "--no-cuda", "--json"], timeout=120)
        self.assertEqual(r.rc, 0, r)
        self.assertIn('"generic"', r.out)
        # Options alone mean `mine`; -a sha256d is accepted (checked here with --print-config).
        r = run(["-a", "sha256d", "-o", "stratum+tcp://127.0.0.1:3333", "-u", "a.b", "-t", "2",
                 "--print-config"])
        self.assertEqual(r.rc, 0, r)
        self.assertIn('"threads": 2', r.out)

    def test_top_level_help_says_options_alone_mean_mine(self):
        r = run(["--help"])
        self.assertIn("Options without a subcommand mean `mine`", r.out)
        self.assertIn("Exit status: 0 done, 1 runtime failure, 2 bad command line", r.out)


if __name__ == "__main__":
    unittest.main()
