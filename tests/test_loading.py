"""`check` loads the engine once per process, without leaving the garbage collector off."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

_PROBE = """
import gc, sys
from audit.loading import load_engine
load_engine()
frozen = gc.get_freeze_count()
load_engine()  # a second call does nothing
print(gc.isenabled(), frozen > 0, gc.get_freeze_count() == frozen,
      "audit.pipeline" in sys.modules, "hypothesis" in sys.modules,
      "ftfy" in sys.modules, "charset_normalizer" in sys.modules)
"""


def test_the_engine_loads_frozen_with_the_collector_back_on():
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    enabled, frozen, once, loaded, hypothesis, ftfy, charset = done.stdout.split()
    assert (enabled, frozen, once, loaded) == ("True", "True", "True", "True")
    # Loaded only when a run needs them (pandera's data synthesis never is).
    assert (hypothesis, ftfy, charset) == ("False", "False", "False")


def test_a_collector_turned_off_by_the_caller_stays_off():
    probe = "import gc; gc.disable()\n" + _PROBE
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.split()[0] == "False"
