#!/usr/bin/env python3
"""A pool that refuses every verified share: `mine --reject-storm N` leaves it for a fresh
session, then fails over to the backup, where shares are accepted; `pool --refuse-shares`
makes such a pool."""

import json
import re
import unittest

from cli_support import CliTest, Pool, run, unwrap_log


class RejectStorm(CliTest):
    def test_second_storm_fails_over_to_the_backup_and_its_shares_are_accepted(self):
        summary = self.path("summary.json")
        with Pool(difficulty=0.0002, extra_args=["--refuse-shares"]) as refusing, \
                Pool(difficulty=0.0002) as backup:
            self.assertTrue(refusing.err.wait_for(
                r'refusing every valid share with \[23, "Difficulty too low", null\]', 5))
            r = run(["mine", "-o", refusing.url, "--backup-url", backup.url, "-u", "storm.w",
                     "-t", "1", "--reject-storm", "3", "--no-api", "--duration", "8",
                     "--json-summary", summary], timeout=90)
            refusing_out = refusing.stop()
            backup_out = backup.stop()
        self.assertEqual(r.rc, 0, r)
        log = unwrap_log(r.err)
        storms = re.findall(
            r"reject storm on " + re.escape(refusing.url) + r": 3 verified shares rejected with "
            r"no accepted share between \(Difficulty too low \(code 23\) x3\); last rejected "
            r"share hash [0-9a-f]{64}; (.*)", log)
        self.assertEqual(storms, ["reconnecting with a fresh session",
                                  "second storm without an accepted share: failing over"], r)
        self.assertIn("failing over to " + backup.url, log)
        # The summary: accepted shares (only the backup accepts any), and the books balance.
        m = re.search(r"total: .*shares found (\d+) = accepted (\d+) \+ rejected (\d+) \+ "
                      r"stale (\d+) \+ lost (\d+)", r.out)
        self.assertIsNotNone(m, r)
        found, accepted, rejected, stale, lost = map(int, m.groups())
        self.assertGreater(accepted, 0, r)
        self.assertGreaterEqual(rejected, 6, r)
        self.assertEqual(found, accepted + rejected + stale + lost, r)
        self.assertIn("rejected: Difficulty too low (code 23) x", r.out)
        self.assertRegex(refusing_out, r"pool summary: 2 connections, 0 accepted, [6-9]\d* rejected")
        self.assertRegex(backup_out, r"pool summary: 1 connections, [1-9]\d* accepted, 0 rejected")
        with open(summary) as f:
            s = json.load(f)
        self.assertEqual(s["total"]["shares"]["accepted"], accepted)

    def test_reject_storm_zero_stays_on_the_refusing_pool(self):
        with Pool(difficulty=0.0002, extra_args=["--refuse-shares", "Nope"]) as refusing:
            r = run(["mine", "-o", refusing.url, "-u", "storm.w", "-t", "1", "--reject-storm",
                     "0", "--no-api", "--duration", "4"], timeout=60)
            out = refusing.stop()
        self.assertEqual(r.rc, 0, r)
        self.assertNotIn("reject storm", r.err)
        self.assertIn("rejected: Nope (code 23) x", r.out)
        self.assertRegex(out, r"pool summary: 1 connections, 0 accepted, ([1-9]\d+) rejected")

    def test_reject_storm_is_checked(self):
        self.assertUsageError(run(["mine", "--reject-storm", "-1"]), "--reject-storm")
        self.assertUsageError(run(["mine", "--reject-storm", "1000001"]), "--reject-storm")


if __name__ == "__main__":
    unittest.main()
