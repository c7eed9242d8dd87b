"""The progress bar: drawn on a terminal's standard error for long runs, never elsewhere."""

from __future__ import annotations

import io

from audit.progress import Progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _drive(progress: Progress) -> None:
    progress.stage("reading files", 3)
    for _ in range(3):
        progress.advance()
    progress.stage("running rules", 2)
    progress.advance(2)
    progress.close()


def test_drawn_on_a_terminal_once_the_run_is_slow(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    stream = Tty()
    _drive(Progress(stream, delay=0))
    assert "running rules" in stream.getvalue()


def test_quiet_for_fast_runs_pipes_and_dumb_terminals(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    fast = Tty()
    _drive(Progress(fast, delay=60))
    piped = io.StringIO()
    _drive(Progress(piped, delay=0))
    monkeypatch.setenv("TERM", "dumb")
    dumb = Tty()
    _drive(Progress(dumb, delay=0))
    assert fast.getvalue() == piped.getvalue() == dumb.getvalue() == ""


def test_a_check_writes_nothing_to_a_non_terminal_stderr(cli):
    from conftest import AS_OF, SEED

    done = cli("check", SEED, "--as-of", AS_OF)
    assert done.err == ""
