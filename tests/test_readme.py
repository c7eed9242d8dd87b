"""README.md stays true: its rule table is the rule catalogue, and CI runs its commands."""

from __future__ import annotations

import re

from audit.ruleset import load_rules
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _code_after(heading: str) -> str:
    section = README.split(heading, 1)[1]
    return re.search(r"```sh\n(.*?)\n```", section, re.S).group(1).strip()


def test_rule_table_matches_the_rule_files():
    rows = re.findall(r"^\| (LA\d{3}) \| ([a-z-]+) \| (\w+) \| (.+) \|$", README, re.M)
    assert rows == [(r.id, r.name, r.severity.value, r.summary) for r in load_rules()]


def test_ci_runs_the_readme_commands_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _code_after("## Install and run on the bundled example") in ci
    assert _code_after("## Run the tests") in ci.splitlines()


def test_the_example_output_is_what_the_command_prints(cli):
    """Every shown line of the README's example is printed, in order; `...` skips lines."""
    block = re.search(r"```console\n\$ (.*?)\n(.*?)\n```", README, re.S)
    command, shown = block.group(1).split(), block.group(2).splitlines()
    assert command[0] == "listing-audit"
    done = cli(*command[1:], cwd=ROOT)
    printed = done.out.rstrip("\n").splitlines()
    position = 0
    skipping = False
    for line in shown:
        if line.strip() == "...":
            skipping = True
            continue
        if skipping:
            assert line in printed[position:], f"not printed after line {position}: {line!r}"
            position = printed.index(line, position) + 1
        else:
            assert position < len(printed) and printed[position] == line, (
                f"line {position + 1} printed as {printed[position]!r}, the README shows {line!r}")
            position += 1
        skipping = False
    assert position == len(printed), "the README's example stops before the output does"
