"""A plain (non-editable) install works: the rule files ship inside the wheel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from audit.ruleset import load_rules
from conftest import AS_OF, ROOT, SEED


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)], capture_output=True, text=True)
    if built.returncode != 0:
        pytest.fail(f"wheel build failed: {built.stderr[-2000:]}")
    (path,) = out.glob("listing_audit-*.whl")
    return path


def test_wheel_carries_every_rule_file(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.rsplit("/", 1)[-1] for n in names if n.startswith("audit/rules/"))
    assert shipped == sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))


def test_installed_wheel_audits_the_seed_from_elsewhere(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "audit", "check", str(SEED), "--format", "json", "--as-of", AS_OF],
        capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert len(report["rules"]) == len(load_rules())
    assert report["summary"]["findings"]["error"] == 3
    located = subprocess.run(
        [sys.executable, "-c", "import audit.ruleset as r; print(r.builtin_rules_dir())"],
        capture_output=True, text=True, cwd=tmp_path, env=env)
    assert located.stdout.strip().startswith(str(site))
