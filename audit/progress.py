"""A progress bar on standard error for long runs on a terminal; nothing anywhere else.

Reports go to standard output or files and must be the same bytes whatever the terminal, so
progress is only ever drawn on standard error, only when it is a TTY, and only once a run has
taken longer than `delay` seconds (a one-page check finishes before anything is drawn). The
bar is transient: it is erased when the run ends.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO


class Progress:
    """Stages (reading files, running rules) with a count each; `Progress.off()` does nothing."""

    def __init__(self, stream: TextIO | None = None, *, delay: float = 1.0,
                 enabled: bool | None = None):
        self._stream = stream if stream is not None else sys.stderr
        if enabled is None:
            enabled = _is_tty(self._stream) and os.environ.get("TERM") != "dumb"
        self.enabled = enabled
        self._delay = delay
        self._start = time.monotonic()
        self._bar: Any = None
        self._task: Any = None
        self._stage: tuple[str, int | None] = ("", None)
        self._done = 0

    @classmethod
    def off(cls) -> Progress:
        return cls(enabled=False)

    def stage(self, description: str, total: int | None = None) -> None:
        if not self.enabled:
            return
        self._stage, self._done = (description, total), 0
        if self._bar is not None:
            self._bar.update(self._task, description=description, total=total, completed=0)
        self._maybe_start()

    def advance(self, steps: int = 1) -> None:
        if not self.enabled:
            return
        self._done += steps
        if self._bar is not None:
            self._bar.update(self._task, completed=self._done)
        else:
            self._maybe_start()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _maybe_start(self) -> None:
        if self._bar is not None or time.monotonic() - self._start < self._delay:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn
        from rich.progress import TimeElapsedColumn

        console = Console(file=self._stream, force_terminal=True)
        self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True)
        self._bar.start()
        description, total = self._stage
        self._task = self._bar.add_task(description, total=total, completed=self._done)


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
