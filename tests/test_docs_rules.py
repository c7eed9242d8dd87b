"""docs/rules.md stays true: every check kind and parameter documented, the example works."""

from __future__ import annotations

import re

from audit.checks import CHECKS
from conftest import AS_OF, ROOT

DOC = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")


def test_every_check_kind_parameter_and_variable_is_documented():
    table = {row[0]: row for row in re.findall(r"^\| `(\w+)` \| (.*?) \| (.*?) \| (.*?) \|$", DOC, re.M)}
    assert set(table) == set(CHECKS)
    for kind, module in CHECKS.items():
        _, _, parameters, variables = table[kind]
        for name in module.PARAMETERS:
            assert f"`{name}`" in parameters, (kind, name)
        for name in module.VARIABLES:
            assert f"`{name}`" in variables, (kind, name)


def _worked_example() -> str:
    block = re.search(r"2\. Write `my-rules/spoilers.yaml`:\n\n   ```yaml\n(.*?)\n   ```", DOC, re.S)
    return "\n".join(line[3:] for line in block.group(1).splitlines())


def test_worked_example_rule_runs(cli, tmp_path):
    rules = tmp_path / "my-rules"
    rules.mkdir()
    (rules / "spoilers.yaml").write_text(_worked_example(), encoding="utf-8")
    page = tmp_path / "page.txt"
    page.write_text(
        "The Pact\n\n  \u2022 2020\n\nA family drama.\n\nSeasons\nEpisode 1\n1. Dinner\nMay 1, 2020\n"
        "In a shocking twist, Anna leaves.\nEpisode 2\n2. Breakfast\nMay 8, 2020\nNobody talks.\n",
        encoding="utf-8")
    result = cli("check", page, "--rules", rules, "--select", "CAT501", "--as-of", AS_OF,
                 "--format", "json")
    (finding,) = result.json()["findings"]
    assert finding["rule"] == "CAT501" and finding["line"] == 11
    assert finding["evidence"][0]["text"] == "shocking twist"
    assert "CAT501 spoiler-in-synopsis" in cli("explain", "CAT501", "--rules", rules).out
    (rules / "spoilers.yaml").write_text(_worked_example().replace("kind: pattern", "kind: patern"))
    broken = cli("check", page, "--rules", rules)
    assert broken.code == 2 and "rule CAT501: unknown check kind 'patern'" in broken.err
