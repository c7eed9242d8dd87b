"""Configuration (issue 5, point 1): discovery, precedence, every key, every bad value, init."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import AS_OF, SEED

from audit import config as config_mod

CUSTOM_RULE = """\
rules:
  - id: LA599
    name: house-style-mars
    severity: info
    summary: The word Mars (a test rule).
    rationale: Only for tests.
    example: Mars
    message: "{field} mentions \\u201c{match}\\u201d"
    check:
      kind: pattern
      fields: [description]
      patterns:
        - {regex: 'red planet', label: house style}
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    """tmp/project/ with pages/race-to-mars.txt; the working directory is project/pages."""
    root = tmp_path / "project"
    pages = root / "pages"
    pages.mkdir(parents=True)
    shutil.copy(SEED, pages / "race-to-mars.txt")
    monkeypatch.chdir(pages)
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rules_of(report: dict) -> set[str]:
    return {f["rule"] for f in report["findings"]}


# --- discovery ----------------------------------------------------------------------------

def test_defaults_without_any_config(cli, project):
    assert config_mod.find_config() is None
    result = cli("check", "race-to-mars.txt", "--as-of", AS_OF)
    assert result.code == 1
    assert "3 at or above error fail the run" in result.out


def test_listing_audit_toml_is_found_in_a_parent_directory(cli, project):
    write(project / "listing-audit.toml", 'fail-on = "never"\n')
    assert config_mod.find_config() == (project / "listing-audit.toml").resolve()
    result = cli("check", "race-to-mars.txt", "--as-of", AS_OF)
    assert result.code == 0
    assert "not gating (--fail-on never)" in result.out


def test_pyproject_table_is_found_and_one_without_the_table_is_skipped(cli, project):
    write(project / "pyproject.toml", '[tool.listing-audit]\nfail-on = "never"\n')
    write(project / "pages" / "pyproject.toml", '[project]\nname = "unrelated"\n')
    assert config_mod.find_config() == (project / "pyproject.toml").resolve()
    assert cli("check", "race-to-mars.txt", "--as-of", AS_OF).code == 0


def test_nearest_file_wins_over_one_further_up(cli, project):
    write(project / "listing-audit.toml", 'fail-on = "never"\n')
    write(project / "pages" / "pyproject.toml", '[tool.listing-audit]\nfail-on = "error"\n')
    assert cli("check", "race-to-mars.txt", "--as-of", AS_OF).code == 1


def test_listing_audit_toml_wins_over_pyproject_in_the_same_directory(cli, project):
    write(project / "pyproject.toml", '[tool.listing-audit]\nfail-on = "error"\n')
    write(project / "listing-audit.toml", 'fail-on = "never"\n')
    assert config_mod.find_config() == (project / "listing-audit.toml").resolve()
    assert cli("check", "race-to-mars.txt", "--as-of", AS_OF).code == 0


def test_precedence_flags_then_config_flag_then_nearest_then_defaults(cli, project, tmp_path):
    write(project / "listing-audit.toml", 'fail-on = "never"\nformat = "json"\n')
    explicit = write(tmp_path / "ci.toml", 'fail-on = "warning"\n')
    # nearest file: never, json
    nearest = cli("check", "race-to-mars.txt", "--as-of", AS_OF)
    assert nearest.code == 0 and nearest.json()["summary"]["fail_on"] == "never"
    # --config replaces the nearest file entirely (its format = json is not merged in)
    explicit_run = cli("check", "race-to-mars.txt", "--as-of", AS_OF, "--config", explicit)
    assert explicit_run.code == 1
    assert "10 at or above warning fail the run" in explicit_run.out
    # a flag beats both
    flagged = cli("check", "race-to-mars.txt", "--as-of", AS_OF, "--config", explicit,
                  "--fail-on", "never", "--format", "json")
    assert flagged.code == 0 and flagged.json()["summary"]["fail_on"] == "never"
    # --no-config: defaults
    assert cli("check", "race-to-mars.txt", "--as-of", AS_OF, "--no-config").code == 1


def test_config_flag_accepts_a_pyproject(cli, project, tmp_path):
    explicit = write(tmp_path / "elsewhere" / "pyproject.toml", '[tool.listing-audit]\nfail-on = "never"\n')
    assert cli("check", "race-to-mars.txt", "--as-of", AS_OF, "--config", explicit).code == 0


# --- every key ------------------------------------------------------------------------------

def test_select_ignore_as_of_and_format(cli, project):
    write(project / "listing-audit.toml",
          'select = ["LA1", "LA3", "LA5"]\nignore = ["LA503"]\nas-of = 2026-11-24\nformat = "json"\n')
    report = cli("check", "race-to-mars.txt").json()
    assert report["as_of"] == AS_OF
    assert rules_of(report) == {"LA101", "LA301", "LA304", "LA501", "LA502"}
    # a flag replaces the configured list rather than adding to it
    flagged = cli("check", "race-to-mars.txt", "--ignore", "LA5").json()
    assert rules_of(flagged) == {"LA101", "LA301", "LA304"}


def test_as_of_may_be_a_string(cli, project):
    write(project / "listing-audit.toml", 'as-of = "2026-11-24"\nformat = "json"\n')
    assert cli("check", "race-to-mars.txt").json()["as_of"] == AS_OF


def test_include_and_exclude(cli, project):
    pages = project / "pages"
    shutil.copy(SEED, pages / "copy.text")
    shutil.copy(SEED, pages / "draft-race.txt")
    write(project / "listing-audit.toml", 'include = ["*.txt"]\nexclude = ["draft-*"]\nformat = "json"\n')
    report = cli("check", ".", "--as-of", AS_OF).json()
    assert [f["path"] for f in report["files"]] == ["race-to-mars.txt"]
    flagged = cli("check", ".", "--as-of", AS_OF, "--exclude", "nothing").json()
    assert [f["path"] for f in flagged["files"]] == ["draft-race.txt", "race-to-mars.txt"]


def test_rule_dirs_are_relative_to_the_config_file(cli, project):
    write(project / "house-rules" / "house.yaml", CUSTOM_RULE)
    write(project / "listing-audit.toml", 'rule-dirs = ["house-rules"]\nformat = "json"\n')
    report = cli("check", "race-to-mars.txt", "--as-of", AS_OF).json()
    assert "LA599" in rules_of(report)


def test_per_rule_severity_and_parameters(cli, project):
    write(project / "pyproject.toml", """\
[tool.listing-audit]
format = "json"
[tool.listing-audit.rules.LA304]
severity = "info"
[tool.listing-audit.rules.status-contradiction]
stale_after_days = 100000
""")
    report = cli("check", "race-to-mars.txt", "--as-of", AS_OF).json()
    (shared,) = [f for f in report["findings"] if f["rule"] == "LA304"]
    assert shared["severity"] == "info"
    (status,) = [f for f in report["findings"] if f["rule"] == "LA301"]
    # the stale-after tolerance no longer fires; the mini-series contradiction still does
    assert "newest episode" not in status["message"]
    assert "mini-series" in status["message"]
    default = cli("check", "race-to-mars.txt", "--as-of", AS_OF, "--no-config", "--format", "json").json()
    (status,) = [f for f in default["findings"] if f["rule"] == "LA301"]
    assert "newest episode" in status["message"]


def test_per_path_ignores_match_paths_relative_to_the_config_file(cli, project):
    shutil.copy(SEED, project / "legacy.txt")
    write(project / "listing-audit.toml",
          'format = "json"\n[per-path-ignores]\n"pages/*.txt" = ["LA501", "template-artifact"]\n')
    report = cli("check", ".", str(project / "legacy.txt"), "--as-of", AS_OF).json()
    by_path = {}
    for finding in report["findings"]:
        by_path.setdefault(Path(finding["path"]).name, set()).add(finding["rule"])
    assert not {"LA501", "LA502"} & by_path["race-to-mars.txt"]
    assert {"LA501", "LA502"} <= by_path["legacy.txt"]


def test_per_path_ignores_by_file_name(cli, project):
    write(project / "listing-audit.toml", 'format = "json"\n[per-path-ignores]\n"race-*.txt" = ["LA5"]\n')
    report = cli("check", "race-to-mars.txt", "--as-of", AS_OF).json()
    assert not any(r.startswith("LA5") for r in rules_of(report))


# --- bad configuration: exit 2, one line naming the file and the key -----------------------

BAD = [
    ("unknown key", 'colour = "red"\n', "colour", "unknown key"),
    ("typo gets a hint", 'fail_on = "error"\n', "fail_on", "did you mean 'fail-on'"),
    ("fail-on value", 'fail-on = "fatal"\n', "fail-on", "'fatal' is not one of"),
    ("format value", 'format = "pdf"\n', "format", "'pdf' is not one of"),
    ("as-of value", 'as-of = "yesterday"\n', "as-of", "not a date"),
    ("as-of datetime", 'as-of = 2026-11-24T10:00:00\n', "as-of", "date and time"),
    ("select type", 'select = 3\n', "select", "list of non-empty strings"),
    ("select unknown rule", 'select = ["LA999"]\n', "select", "no rule matches 'LA999'"),
    ("ignore unknown rule", 'ignore = ["no-such-rule"]\n', "ignore", "no rule matches"),
    ("include type", 'include = [1]\n', "include", "list of non-empty strings"),
    ("exclude empty string", 'exclude = [""]\n', "exclude", "list of non-empty strings"),
    ("rule-dirs missing", 'rule-dirs = ["nowhere"]\n', "rule-dirs", "is not a directory"),
    ("rule-dirs type", 'rule-dirs = 5\n', "rule-dirs", "list of directories"),
    ("rules as a list", 'rules = ["extra"]\n', "rules", "'rule-dirs'"),
    ("rules unknown id", '[rules.LA999]\nseverity = "info"\n', "rules.LA999", "no such rule"),
    ("rules not a table", '[rules]\nLA304 = "info"\n', "rules.LA304", "must be a table"),
    ("rules severity", '[rules.LA304]\nseverity = "fatal"\n', "rules.LA304.severity", "not one of"),
    ("rules unknown parameter", '[rules.LA301]\nstale_after = 3\n', "rules.LA301.stale_after",
     "no parameter 'stale_after'"),
    ("rules parameter type", '[rules.LA301]\nstale_after_days = "2 years"\n',
     "rules.LA301.stale_after_days", "whole number"),
    ("rules parameter bool", '[rules.LA401]\nmax_years_ahead = true\n',
     "rules.LA401.max_years_ahead", "whole number"),
    ("per-path-ignores type", 'per-path-ignores = ["x"]\n', "per-path-ignores", "table"),
    ("per-path-ignores rule", '[per-path-ignores]\n"a/*.csv" = ["LA998"]\n',
     'per-path-ignores."a/*.csv"', "no rule matches 'LA998'"),
    ("waivers type", 'waivers = 1\n', "waivers", "must be a path"),
    ("baseline type", 'baseline = ""\n', "baseline", "must be a path"),
    ("fail-on-stale type", 'fail-on-stale = "yes"\n', "fail-on-stale", "true or false"),
    ("tool table in listing-audit.toml", '[tool.listing-audit]\nfail-on = "error"\n', "tool",
     "keys go at the top level"),
]


@pytest.mark.parametrize("text,key,problem", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_listing_audit_toml(cli, project, text, key, problem):
    path = write(project / "listing-audit.toml", text)
    result = cli("check", "race-to-mars.txt", "--as-of", AS_OF)
    assert result.code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err
    assert f"{path}: {key}:" in result.err
    assert problem in result.err


@pytest.mark.parametrize("text,key,problem", [b[1:] for b in BAD if b[0] != "tool table in listing-audit.toml"],
                         ids=[b[0] for b in BAD if b[0] != "tool table in listing-audit.toml"])
def test_bad_pyproject_names_the_tool_table_key(cli, project, text, key, problem):
    body = text.replace("[rules", "[tool.listing-audit.rules").replace(
        "[per-path-ignores]", "[tool.listing-audit.per-path-ignores]")
    path = write(project / "pyproject.toml", "[tool.listing-audit]\n" + body)
    result = cli("check", "race-to-mars.txt", "--as-of", AS_OF)
    assert result.code == 2
    assert f"{path}: tool.listing-audit.{key}:" in result.err
    assert problem in result.err


@pytest.mark.parametrize("name,text,problem", [
    ("listing-audit.toml", 'fail-on = \n', "not valid TOML"),
    ("listing-audit.toml", b"\xff\xfe = 1", "not UTF-8"),
    ("pyproject.toml", '[tool]\nlisting-audit = 3\n', "tool.listing-audit: must be a table"),
])
def test_unreadable_config_files(cli, project, name, text, problem):
    path = project / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    result = cli("check", "race-to-mars.txt", "--as-of", AS_OF)
    assert result.code == 2
    assert str(path) in result.err and problem in result.err


def test_config_flag_errors(cli, project, tmp_path):
    missing = cli("check", "race-to-mars.txt", "--config", tmp_path / "nope.toml")
    assert missing.code == 2 and "nope.toml: config file not found" in missing.err
    bare = write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "x"\n')
    result = cli("check", "race-to-mars.txt", "--config", bare)
    assert result.code == 2 and f"{bare}: has no [tool.listing-audit] table" in result.err


def test_bad_config_is_ignored_with_no_config(cli, project):
    write(project / "listing-audit.toml", 'colour = "red"\n')
    assert cli("check", "race-to-mars.txt", "--as-of", AS_OF, "--no-config").code == 1


def test_select_flag_replaces_a_bad_configured_select(cli, project):
    """The configured value a flag replaces is not used, so it is not held against the run."""
    write(project / "listing-audit.toml", 'select = ["LA999"]\n')
    assert cli("check", "race-to-mars.txt", "--as-of", AS_OF, "--select", "LA1").code == 1


# --- listing-audit init ----------------------------------------------------------------------

def test_init_writes_a_commented_starter_that_loads(cli, project):
    result = cli("init")
    path = project / "pages" / "listing-audit.toml"
    assert result.code == 0 and f"wrote {path.name}" in result.out
    text = path.read_text(encoding="utf-8")
    assert text.count("#") > 20
    for key in ("select", "ignore", "fail-on", "as-of", "rule-dirs", "include", "exclude", "format",
                "baseline", "fail-on-stale", "waivers", "per-path-ignores", "rules.LA304"):
        assert key in text, key
    config = config_mod.load_config(path)
    assert config.fail_on == "error"
    check = cli("check", "race-to-mars.txt", "--as-of", AS_OF)
    assert check.code == 1


def test_init_starter_with_every_example_uncommented_is_valid(project):
    """The commented examples are real settings: uncommented they load and pass validation."""
    lines = []
    for line in config_mod.STARTER.splitlines():
        stripped = line[2:] if line.startswith("# ") else line
        if line.startswith("# ") and ("=" in stripped or stripped.startswith("[")) \
                and not stripped.startswith(("Rules", "Lowest")):
            lines.append(stripped)
        elif not line.startswith("#"):
            lines.append(line)
    text = "\n".join(lines) + "\n"
    (project / "audit-rules").mkdir()
    path = write(project / "listing-audit.toml", text)
    config = config_mod.load_config(path)
    from audit.ruleset import load_rules
    rules = load_rules(config.rule_dirs)
    config_mod.check_rule_tokens(config, rules)
    settings = config_mod.rule_settings(config, rules)
    assert settings["LA304"] == {"severity": "info"}
    assert config.per_path_ignores == {"legacy/*.csv": ["LA505", "LA507"]}
    assert config.baseline == project / ".listing-audit-baseline.json"


def test_init_refuses_to_overwrite_without_force(cli, project):
    path = write(project / "pages" / "listing-audit.toml", "# mine\n")
    refused = cli("init")
    assert refused.code == 2 and "already exists" in refused.err and "--force" in refused.err
    assert path.read_text() == "# mine\n"
    forced = cli("init", "--force")
    assert forced.code == 0 and path.read_text() == config_mod.STARTER


def test_init_into_a_directory(cli, project):
    assert cli("init", project).code == 0
    assert (project / "listing-audit.toml").read_text() == config_mod.STARTER


def test_rules_and_explain_list_the_configured_rule_dirs(cli, tmp_path):
    extra = tmp_path / "team-rules"
    extra.mkdir()
    (extra / "team.yaml").write_text(
        "rules:\n  - id: CAT501\n    name: team-rule\n    severity: warning\n    summary: A team rule.\n"
        "    rationale: r\n    example: e\n    message: '{match}'\n    check:\n      kind: pattern\n"
        "      fields: [synopsis]\n      patterns: [{regex: 'twist', label: twist}]\n")
    (tmp_path / "listing-audit.toml").write_text('rule-dirs = ["team-rules"]\n')
    assert "CAT501" in cli("rules", cwd=tmp_path).out
    assert cli("explain", "CAT501", cwd=tmp_path).out.startswith("CAT501 team-rule")
