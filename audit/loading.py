"""Loading the audit engine (pandas, pandera, the checks and readers) once per process, cheaply.

A one-page `check` is mostly start-up: the engine's imports build a few hundred thousand
objects, and while they do, Python's cyclic garbage collector keeps walking all of them
again (about a fifth of a one-page run's CPU, and again at exit). None of them is garbage,
so the collector is paused while they load and they are then frozen (`gc.freeze`: moved
out of its sight for good); it runs as usual on what the run itself makes.
"""

from __future__ import annotations

import gc
import sys


def load_engine() -> None:
    """Import what `check` needs; the first call pays, later ones return at once."""
    if "audit.pipeline" in sys.modules:
        return
    paused = gc.isenabled()
    gc.disable()
    try:
        _pandera_without_synthesis()
        import audit.pipeline  # noqa: F401
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def _pandera_without_synthesis() -> None:
    """pandera loads hypothesis (its data synthesis, for property tests) on the first
    validation whenever hypothesis is installed, as it is beside the test tools; the audit
    never synthesises data, so pandera is loaded as if hypothesis were absent, which it
    supports. A process that has already imported hypothesis keeps it as it is."""
    if "hypothesis" in sys.modules:
        return
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # import fails: "absent"
    try:
        import pandera.backends.pandas.builtin_checks  # noqa: F401
    except ImportError:
        pass  # another pandera layout: it loads as it will, a little slower
    finally:
        del sys.modules["hypothesis"]
