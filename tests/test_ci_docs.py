"""docs/ci.md is executable (issue 5, point 5): its commands, config snippets and CI jobs run
here, in the documented order, against a copy of fixtures/ci/, with the documented outcomes.

Every shell command in the doc (`$ ...` lines in console blocks, `run:` steps of the GitHub
workflow, `script:` lines of the GitLab job) must appear in one of the lists below, and every
command in the lists must appear verbatim in the doc, so the two cannot drift apart.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

from audit import config as config_mod
from audit import waivers as waivers_mod
from audit.ingest import DEFAULT_INCLUDE
from audit.ruleset import load_rules

DOC = ROOT / "docs" / "ci.md"
FIXTURE = ROOT / "fixtures" / "ci"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent

# --- the documented commands -------------------------------------------------------------------

INIT = "listing-audit init"
LOOK = "listing-audit check catalogue/ --exit-zero"
WRITE_BASELINE = "listing-audit check catalogue/ --write-baseline .listing-audit-baseline.json"
GATE = "listing-audit check catalogue/"
PRE_COMMIT = "listing-audit check catalogue/race-to-venus.txt"
GITHUB_AUDIT = ("listing-audit check catalogue/ --format github --report listing-audit.sarif "
                "--report listing-audit.md --report listing-audit.html")
GITHUB_SUMMARY = 'cat listing-audit.md >> "$GITHUB_STEP_SUMMARY"'
GITHUB_GATE = "exit 1"
GITLAB_AUDIT = "listing-audit check catalogue/ --report listing-audit.xml --report listing-audit.html"
INSTALL = "pip install ./tools/listing-audit"  # run by test_install_lines_work_from_the_repository

CONSOLE_COMMANDS = {INIT, LOOK, WRITE_BASELINE, GATE, PRE_COMMIT}
GITHUB_COMMANDS = [INSTALL, GITHUB_AUDIT, GITHUB_SUMMARY, GITHUB_GATE]
GITLAB_COMMANDS = [INSTALL, GITLAB_AUDIT]

# Config snippets of the five steps, as the doc gives them (header comment included).
STEP1_TOML = '# listing-audit.toml (append)\n[rules.LA304]\nseverity = "info"\n'
STEP3_TOML = ('# listing-audit.toml (top-level key: add it above the first [table])\n'
              'baseline = ".listing-audit-baseline.json"\n')
STEP5_TOML = ('# listing-audit.toml (top-level keys: add them above the first [table])\n'
              'waivers = "listing-audit-waivers.toml"\nfail-on-stale = true\n')


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced code block, in order."""
    return [(m.group(1), m.group(2))
            for m in re.finditer(r"^```(\w*)\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)]


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def console_commands() -> list[str]:
    return [line[2:] for lang, body in fenced_blocks(doc_text()) if lang == "console"
            for line in body.splitlines() if line.startswith("$ ")]


def yaml_blocks() -> list[dict | list]:
    return [yaml.safe_load(body) for lang, body in fenced_blocks(doc_text()) if lang == "yaml"]


def github_workflow() -> dict:
    (workflow,) = [b for b in yaml_blocks() if isinstance(b, dict) and "jobs" in b]
    return workflow


def gitlab_job() -> dict:
    (job,) = [b["listing-audit"] for b in yaml_blocks()
              if isinstance(b, dict) and "script" in (b.get("listing-audit") or {})]
    return job


def github_steps() -> list[dict]:
    return github_workflow()["jobs"]["audit"]["steps"]


def step(name: str) -> dict:
    (found,) = [s for s in github_steps() if s.get("name") == name]
    return found


# --- the doc and the lists agree -----------------------------------------------------------------

def test_every_console_command_in_the_doc_is_tested_and_vice_versa():
    assert set(console_commands()) == CONSOLE_COMMANDS


def test_the_workflows_commands_are_the_tested_ones():
    assert [s["run"] for s in github_steps() if "run" in s] == GITHUB_COMMANDS
    assert gitlab_job()["script"] == GITLAB_COMMANDS


def test_the_step_snippets_appear_verbatim():
    text = doc_text()
    for snippet in (STEP1_TOML, STEP3_TOML, STEP5_TOML):
        assert f"```toml\n{snippet}```" in text


def test_five_adoption_steps():
    text = doc_text()
    section = text[text.index("## Adoption on a legacy catalogue in five steps"):]
    assert [int(n) for n in re.findall(r"^\*\*(\d)\. ", section, re.MULTILINE)] == [1, 2, 3, 4, 5]


def test_toml_examples_are_valid(tmp_path):
    """Every TOML block of the doc loads and passes validation (or is a valid waiver file)."""
    rules = load_rules()
    checked = 0
    for lang, body in fenced_blocks(doc_text()):
        if lang != "toml":
            continue
        if "[[waivers]]" in body:
            path = tmp_path / "listing-audit-waivers.toml"
            path.write_text(body, encoding="utf-8")
            assert waivers_mod.load(path, {r.id: r.id for r in rules})
        else:
            name = "pyproject.toml" if "[tool.listing-audit" in body else "listing-audit.toml"
            path = tmp_path / name
            path.write_text(body, encoding="utf-8")
            config = config_mod.load_config(path)
            config_mod.check_rule_tokens(config, rules)
            config_mod.rule_settings(config, rules)
        checked += 1
    assert checked >= 6


def test_documented_error_message_is_real(tmp_path, cli):
    (tmp_path / "listing-audit.toml").write_text('[rules.LA301]\nstale_after_days = "3 years"\n')
    shutil.copytree(FIXTURE / "catalogue", tmp_path / "catalogue")
    result = cli("check", "catalogue/", cwd=tmp_path)
    assert result.code == 2
    message = result.err.strip().replace(str(tmp_path), "/repo")
    assert f"    {message}\n" in doc_text()


# --- the hook and the workflows are well formed --------------------------------------------------

def test_pre_commit_hook_definition():
    (hook,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert hook["id"] == "listing-audit" and hook["language"] == "python"
    assert hook["entry"] == "listing-audit check"
    files = re.compile(hook["files"])
    for pattern in DEFAULT_INCLUDE:
        assert files.search("catalogue/x" + pattern[1:]), pattern
    for other in ("README.md", "audit/cli.py", "pyproject.toml", "notes.docx"):
        assert not files.search(other), other
    # what pre-commit runs for one changed page is the documented pre-commit command
    assert f"{hook['entry']} catalogue/race-to-venus.txt" == PRE_COMMIT
    assert "id: listing-audit" in doc_text()


def test_github_workflow_wiring():
    workflow = github_workflow()
    assert workflow["permissions"]["security-events"] == "write"
    audit = step("Audit the catalogue")
    assert audit["id"] == "audit" and audit["continue-on-error"] is True
    for name in ("Job summary", "Upload SARIF to code scanning", "Keep the HTML report"):
        assert step(name)["if"] == "always()", name
    assert step("Upload SARIF to code scanning")["with"]["sarif_file"] == "listing-audit.sarif"
    assert step("Keep the HTML report")["with"]["path"] == "listing-audit.html"
    assert step("Gate")["if"] == "steps.audit.outcome == 'failure'"
    for report in ("listing-audit.sarif", "listing-audit.md", "listing-audit.html"):
        assert f"--report {report}" in audit["run"]


def test_gitlab_job_wiring():
    job = gitlab_job()
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"]["junit"] == "listing-audit.xml"
    assert job["artifacts"]["paths"] == ["listing-audit.html"]


# --- running it all, in order -------------------------------------------------------------------

@dataclass
class Shell:
    cwd: Path
    summary: Path

    def run(self, command: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               "GITHUB_STEP_SUMMARY": str(self.summary), "NO_COLOR": "1"}
        return subprocess.run(["bash", "-c", command], cwd=self.cwd, env=env,
                              capture_output=True, text=True, timeout=300)

    def expect(self, command: str, code: int, out: str = "", err: str = "") -> subprocess.CompletedProcess:
        result = self.run(command)
        assert result.returncode == code, (command, result.stdout[-2000:], result.stderr)
        assert out in result.stdout, (command, result.stdout[-2000:])
        assert err in result.stderr, (command, result.stderr)
        return result

    def config(self, snippet: str) -> None:
        """Apply a documented snippet as its header says: append, or add above the first table."""
        path = self.cwd / "listing-audit.toml"
        text = path.read_text(encoding="utf-8")
        if "(append)" in snippet.splitlines()[0]:
            text = text + snippet
        else:
            text = snippet + text
        path.write_text(text, encoding="utf-8")
        tomllib.loads(text)

    def edit(self, name: str, old: str, new: str, *, last: bool = False) -> None:
        path = self.cwd / "catalogue" / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        if last:
            head, _, tail = text.rpartition(old)
            text = head + new + tail
        else:
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")


def waiver_snippet() -> str:
    (body,) = [b for lang, b in fenced_blocks(doc_text())
               if lang == "toml" and b.startswith("# listing-audit-waivers.toml")]
    return body


def run_github_workflow(shell: Shell, *, failing: bool) -> dict:
    """The workflow's steps as GitHub would run them; returns what they produced."""
    shell.summary.write_text("", encoding="utf-8")
    audit = shell.expect(GITHUB_AUDIT, 1 if failing else 0)
    shell.expect(GITHUB_SUMMARY, 0)
    if failing:  # the Gate step runs only when the audit step failed
        shell.expect(GITHUB_GATE, 1)
    sarif = json.loads((shell.cwd / "listing-audit.sarif").read_text(encoding="utf-8"))
    html = (shell.cwd / "listing-audit.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") or "<html" in html[:200]
    return {"annotations": audit.stdout, "sarif": sarif,
            "summary": shell.summary.read_text(encoding="utf-8"), "html": html}


def run_gitlab_job(shell: Shell, *, failing: bool) -> ET.Element:
    shell.expect(GITLAB_AUDIT, 1 if failing else 0)
    return ET.parse(shell.cwd / "listing-audit.xml").getroot()


@pytest.fixture
def shell(tmp_path) -> Shell:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    return Shell(cwd=repo, summary=tmp_path / "step-summary.md")


def test_adoption_and_ci_as_documented(shell):
    # 1. Configure
    shell.expect(INIT, 0, out="wrote listing-audit.toml")
    # Not a documented step: pin the audit date so that the waiver's expiry (2027-06-30) and
    # the date-dependent rules give the same result whenever the suite runs.
    shell.config("# pin\nas-of = 2026-11-24\n")
    shell.config(STEP1_TOML)
    # 2. Look, without gating
    shell.expect(LOOK, 0, out="6 at or above error fail the run (--exit-zero: exit 0 anyway)")
    # 3. Record a baseline
    shell.expect(WRITE_BASELINE, 0, err="wrote 20 findings (20 entries) to .listing-audit-baseline.json")
    shell.config(STEP3_TOML)
    baseline = json.loads((shell.cwd / ".listing-audit-baseline.json").read_text())
    assert baseline["version"] == 1 and len(baseline["findings"]) == 20
    # 4. Gate new defects: passes on the old catalogue, even after lines moved ...
    shell.expect(GATE, 0, out="20 baselined; 0 new at or above error fail the run")
    shell.edit("race-to-mars.txt", "The series takes a pseudo-documentary format",
               "Filming took place in Montreal over one winter.\n\n"
               "The series takes a pseudo-documentary format")
    shell.expect(GATE, 0, out="20 baselined; 0 new at or above error fail the run")
    # ... and fails on a new defect: the footer's rating no longer matches the header's
    shell.edit("race-to-mars.txt", "6.7", "7.6", last=True)
    shell.expect(GATE, 1, out="20 baselined; 1 new at or above error fails the run")

    # the CI jobs on that change: everything is reported, the gate fails
    produced = run_github_workflow(shell, failing=True)
    annotations = [line for line in produced["annotations"].splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "title=LA402" in annotations[0]
    assert "file=catalogue/race-to-mars.txt" in annotations[0]
    results = produced["sarif"]["runs"][0]["results"]
    states = {(r["ruleId"], r.get("baselineState")) for r in results}
    assert ("LA402", "new") in states and ("LA101", "unchanged") in states
    assert "LA402" in produced["summary"] and "baselined" in produced["summary"]
    assert "LA402" in produced["html"]
    junit = run_gitlab_job(shell, failing=True)
    failures = [case for case in junit.iter("testcase") if case.find("failure") is not None]
    assert [case.find("failure").get("type") for case in failures] == ["LA402"]
    assert len([case for case in junit.iter("testcase") if case.find("skipped") is not None]) == 20

    # the fix lands: CI passes again
    shell.edit("race-to-mars.txt", "7.6", "6.7", last=True)
    produced = run_github_workflow(shell, failing=False)
    assert not [line for line in produced["annotations"].splitlines() if line.startswith("::")]
    run_gitlab_job(shell, failing=False)
    shell.expect(PRE_COMMIT, 0, out="10 baselined; 0 new at or above error fail the run")

    # 5. Burn the baseline down: a waiver with its reason, and a baseline that must shrink
    (shell.cwd / "listing-audit-waivers.toml").write_text(waiver_snippet(), encoding="utf-8")
    shell.config(STEP5_TOML)
    shell.edit("race-to-mars.txt", "4. Episode 4", "4. The Landing")
    shell.expect(GATE, 1, out="1 fixed since the baseline (1 stale entry)")
    shell.expect(WRITE_BASELINE, 0, err="wrote 18 findings (18 entries)")
    final = shell.expect(GATE, 0, out="18 baselined, 1 waived; 0 new at or above error fail the run")
    assert "(waived)" in final.stdout
    assert "The broadcaster aired all four episodes on one night." in final.stdout
    # the waiver shows in every CI report too
    produced = run_github_workflow(shell, failing=False)
    (suppressed,) = [r for r in produced["sarif"]["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed["ruleId"] == "LA304"
    assert "The broadcaster aired all four episodes on one night." in produced["summary"]
    junit = ET.tostring(run_gitlab_job(shell, failing=False), encoding="unicode")
    assert "The broadcaster aired all four episodes on one night." in junit
    # the baseline file is the same bytes when rewritten from the same catalogue
    before = (shell.cwd / ".listing-audit-baseline.json").read_bytes()
    shell.expect(WRITE_BASELINE, 0)
    assert (shell.cwd / ".listing-audit-baseline.json").read_bytes() == before


def test_install_lines_work_from_the_repository(tmp_path):
    """The documented install needs no package index: pip resolves the repository path
    (the submodule layout the doc describes) with the index switched off."""
    blocks = [body.strip() for lang, body in fenced_blocks(doc_text()) if lang == "sh"]
    assert INSTALL in blocks
    assert any(b.startswith('pip install "listing-audit @ git+') and "@v" in b for b in blocks)
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / "listing-audit").symlink_to(ROOT, target_is_directory=True)
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--no-deps",
         "--no-build-isolation", "--disable-pip-version-check", "./tools/listing-audit"],
        cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Would install listing-audit" in done.stdout


def test_pre_commit_forms_are_real():
    configs = [b for b in yaml_blocks() if isinstance(b, dict) and "repos" in b]
    remote, local = configs
    (repo,) = remote["repos"]
    assert re.fullmatch(r"v\d+\.\d+\.\d+|[0-9a-f]{40}", str(repo["rev"]))
    assert repo["hooks"][0]["id"] == yaml.safe_load(HOOKS.read_text(encoding="utf-8"))[0]["id"]
    (hook,) = local["repos"][0]["hooks"]
    assert local["repos"][0]["repo"] == "local" and hook["language"] == "system"
    assert hook["entry"] == "listing-audit check"
    assert re.search(hook["files"], "catalogue/shows/race-to-mars.txt")
    assert not re.search(hook["files"], "docs/notes.md")
