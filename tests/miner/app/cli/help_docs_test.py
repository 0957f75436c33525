#!/usr/bin/env python3
"""`--help` and docs/ agree: every option each command's --help lists is documented in
docs/cli.md (and `profit`'s in docs/profitability.md too), and docs/cli.md names no option that
--help does not know."""

import os
import re
import unittest

from cli_support import REPO, CliTest, run

COMMANDS = ["mine", "benchmark", "profit", "probe", "pool"]


def help_options(command):
    out = run([command, "--help"]).out
    return set(re.findall(r"^\s+(?:-\w,)?(--[a-z][a-z0-9-]+)", out, re.M)) - {"--help"}


def section(text, command):
    """The part of docs/cli.md under '## `nonceforge COMMAND`'."""
    m = re.search(r"^## `nonceforge %s[^\n]*\n(.*?)(?=^## |\Z)" % command, text, re.M | re.S)
    assert m, "docs/cli.md has no section for " + command
    return m.group(1)


class HelpAndDocs(CliTest):
    def test_every_option_of_help_is_documented(self):
        with open(os.path.join(REPO, "docs", "cli.md")) as f:
            cli = f.read()
        with open(os.path.join(REPO, "docs", "profitability.md")) as f:
            profit = f.read()
        for command in COMMANDS:
            options = help_options(command)
            self.assertGreater(len(options), 3, command)
            doc = section(cli, command)
            for option in sorted(options):
                with self.subTest(command=command, option=option):
                    self.assertRegex(doc, r"(`|, |/)%s\b" % re.escape(option))
                    if command == "profit":
                        self.assertIn(option, profit)

    def test_docs_name_no_option_that_does_not_exist(self):
        with open(os.path.join(REPO, "docs", "cli.md")) as f:
            cli = f.read()
        for command in COMMANDS:
            doc = section(cli, command)
            known = help_options(command)
            for option in set(re.findall(r"`(--[a-z][a-z0-9-]+)", doc)):
                with self.subTest(command=command, option=option):
                    # Refused cpuminer options are documented as refused; they are hidden.
                    if option in ("--scantime", "--background", "--cpu-priority", "--benchmark"):
                        continue
                    self.assertIn(option, known)


if __name__ == "__main__":
    unittest.main()
