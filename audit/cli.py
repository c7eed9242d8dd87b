"""The command line: parses flags, calls the pipeline, renders, sets the exit code.

Exit codes (a public contract): 0 no finding at or above --fail-on; 1 such findings; 2 the
run itself could not be done, with one line on stderr and never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import typer

from . import __version__
from . import config as config_mod
from .loading import load_engine
from .report import FORMAT_BY_EXTENSION, FORMATS, render
from .report._common import encodable
from .ruleset import Rule, RuleError, load_rules, rule_matches, select_rules

# Only what every command needs is imported above: `--version`, `--help`, `rules` and
# `explain` must start without pandas and pandera, which `check` imports when it runs.

app = typer.Typer(
    name="listing-audit",
    help="Audit TV and film catalogue listings for data-quality defects.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Help texts are plain text: "[tool.listing-audit]" must print as written, not as markup.
    rich_markup_mode=None,
)

FAIL_ON = config_mod.FAIL_ON


class UsageError(Exception):
    """A run that cannot be done as asked: exit 2 with this one line."""


def _split(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r} is not a date (expected YYYY-MM-DD)") from None


def _use_color(output: Path | None) -> bool:
    return output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _write(text: str, output: Path | None) -> None:
    text = encodable(text)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def _load(rule_dirs: list[Path] | None, validate: bool = True) -> list[Rule]:
    try:
        return load_rules(rule_dirs, validate=validate)
    except RuleError as exc:
        raise UsageError(str(exc)) from None


def _keep_unreadable(all_rules: list[Rule], chosen: list[Rule], ignore: list[str]) -> list[Rule]:
    """LA001 stays on unless ignored by name: --select LA1 must not let a file that could not
    be read pass the gate unseen."""
    if any(r.id == UNREADABLE for r in chosen):
        return chosen
    unreadable = [r for r in all_rules if r.id == UNREADABLE]
    if not unreadable or any(rule_matches(r.id, r.name, t) for r in unreadable for t in ignore):
        return chosen
    return sorted([*chosen, *unreadable], key=lambda r: r.id)


UNREADABLE = "LA001"


def _mapping(path: Path | None) -> dict | None:
    from .ingest.mapping import MappingError, load_mapping

    try:
        return load_mapping(path) if path is not None else None
    except MappingError as exc:
        raise UsageError(str(exc)) from None


@app.command()
def check(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (searched recursively) or - for standard input.")],
    format: Annotated[Optional[str], typer.Option("--format", "--output-format", "-f", help=f"Output format: {'|'.join(FORMATS)} (default terminal; concise prints one path:line:col: line per finding).")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file instead of standard output.")] = None,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print only the findings per rule (count, severity, files) and the summary line.")] = False,
    stdin_filename: Annotated[Optional[str], typer.Option("--stdin-filename", help="The name standard input (-) has in reports; its extension also tells the format.")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Audit date (YYYY-MM-DD) for date-dependent rules; default today.")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Lowest severity that fails the run: error|warning|info|never (default error).")] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these rules (ids, id prefixes such as LA1, or names); repeatable or comma-separated.")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip these rules (ids, prefixes or names).")] = None,
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", help="A directory of extra rule files (*.yaml); repeatable.")] = None,
    include: Annotated[Optional[list[str]], typer.Option("--include", help="Glob of files to read inside directories; repeatable.")] = None,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Glob of files to skip; repeatable.")] = None,
    mapping: Annotated[Optional[Path], typer.Option("--mapping", help="A YAML or TOML file saying which CSV/Parquet column holds which field (docs/formats.md).")] = None,
    reports: Annotated[Optional[list[Path]], typer.Option("--report", help="Also write a report to this file, its format from the extension (.json .html .sarif .xml .md); repeatable.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Read settings from this file (a listing-audit.toml, or a pyproject.toml with [tool.listing-audit]) instead of searching for one.")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore configuration files; use flags and defaults only.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when findings fail the run (report-only jobs); 2 still means the run could not be done.")] = False,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Findings recorded in this baseline file are shown as baselined and do not fail the run.")] = None,
    write_baseline: Annotated[Optional[Path], typer.Option("--write-baseline", help="Record the current findings in this baseline file (then report them as baselined).")] = None,
    fail_on_stale: Annotated[Optional[bool], typer.Option("--fail-on-stale/--no-fail-on-stale", help="Fail when baseline entries no longer match any finding (the defect was fixed), so the baseline shrinks.")] = None,
    waivers: Annotated[Optional[Path], typer.Option("--waivers", help="A file of accepted findings (rule, listing, reason, by, expires).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Run the audit in N local Dask worker processes (needs the dask extra: pip install 'listing-audit[dask]'); the findings are the same.")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", envvar="DASK_SCHEDULER_ADDRESS", show_envvar=False, help="Run the audit on the Dask cluster whose scheduler is at this address (tcp://HOST:PORT; default $DASK_SCHEDULER_ADDRESS); its workers must see the input files at the same paths.")] = None,
) -> None:
    """Audit listing files and report every defect found."""
    load_engine()
    from .gate import GateError, gated_report, load_gate
    from .pipeline import NoInput, audit
    from .progress import Progress

    try:
        cfg = config_mod.discover(config, search=not no_config)
    except config_mod.ConfigError as exc:
        raise UsageError(str(exc)) from None
    format = format or cfg.format or "terminal"
    fail_on = fail_on or cfg.fail_on or "error"
    if format not in FORMATS:
        raise UsageError(f"--format {format!r} is not one of {', '.join(FORMATS)}")
    if fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    date = _as_of(as_of) if as_of is not None else (cfg.as_of or _as_of(None))
    extra_reports = [(path, _format_of(path)) for path in reports or []]
    flag_select, flag_ignore = _split(select), _split(ignore)
    all_rules = _load(rules or cfg.rule_dirs)
    try:
        config_mod.check_rule_tokens(cfg, all_rules, skip=tuple(
            key for key, flag in (("select", flag_select), ("ignore", flag_ignore)) if flag))
        settings = config_mod.rule_settings(cfg, all_rules)
        ignored = flag_ignore or cfg.ignore or []
        chosen = _keep_unreadable(all_rules, select_rules(all_rules, flag_select or cfg.select,
                                                          ignored), ignored)
    except (RuleError, config_mod.ConfigError) as exc:
        raise UsageError(str(exc)) from None
    try:
        gate = load_gate(all_rules, fail_on=fail_on, waivers=waivers or cfg.waivers,
                         baseline=baseline or cfg.baseline, write_baseline=write_baseline,
                         fail_on_stale=fail_on_stale if fail_on_stale is not None
                         else bool(cfg.fail_on_stale), exit_zero=exit_zero)
    except GateError as exc:
        raise UsageError(str(exc)) from None
    progress = Progress()
    try:
        with _cluster(workers, scheduler) as client:
            run = audit(paths, chosen, as_of=date, settings=settings,
                        include=_split(include) or cfg.include,
                        exclude=_split(exclude) or cfg.exclude, mapping=_mapping(mapping),
                        stdin_filename=stdin_filename, progress=progress, client=client)
    except NoInput as exc:
        raise UsageError(str(exc)) from None
    finally:
        progress.close()
    run.findings = config_mod.apply_per_path_ignores(cfg, run.findings, all_rules)
    try:
        report, wrote = gated_report(run, gate)
    except GateError as exc:
        raise UsageError(str(exc)) from None
    if wrote is not None:
        sys.stderr.write(f"listing-audit: {wrote}\n")
    for path, fmt in extra_reports:
        _write(render(report, fmt), path)
    _print(report, format, output, statistics)
    raise typer.Exit(1 if report["summary"]["failing"] and not exit_zero else 0)


@contextlib.contextmanager
def _cluster(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """The Dask client asked for by --workers or --scheduler; None (one process) otherwise,
    without importing Dask."""
    if workers is None and not scheduler:
        yield None
        return
    from .partitioned.cluster import ClusterError, connect

    try:
        with connect(workers, scheduler) as client:
            yield client
    except ClusterError as exc:
        raise UsageError(str(exc)) from None


def _print(report: dict, format: str, output: Path | None, statistics: bool) -> None:
    if statistics:
        from .report.terminal import statistics as rule_statistics

        _write(rule_statistics(report), output)
    else:
        _write(render(report, format, color=_use_color(output) and format == "terminal"), output)


@app.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write the starter config (a file, or a directory to hold listing-audit.toml).")] = Path(config_mod.CONFIG_NAME),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter listing-audit.toml."""
    if path.is_dir():
        path = path / config_mod.CONFIG_NAME
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to overwrite it")
    _write(config_mod.STARTER, path)
    sys.stdout.write(f"wrote {path}\n")


def _format_of(path: Path) -> str:
    fmt = FORMAT_BY_EXTENSION.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMAT_BY_EXTENSION))
        raise UsageError(f"--report {path}: cannot tell the format from {path.suffix or 'no extension'!r} "
                         f"(use one of {known})")
    return fmt


@app.command()
def report(
    saved: Annotated[Path, typer.Argument(help="A JSON report written by `check --format json`.")],
    format: Annotated[str, typer.Option("--format", "--output-format", "-f", help=f"Output format: {'|'.join(FORMATS)}.")] = "terminal",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of standard output.")] = None,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print only the findings per rule and the summary line.")] = False,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these rules' findings (ids, prefixes or names).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Leave out these rules' findings.")] = None,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Lowest severity that fails: error|warning|info|never (default: the saved report's).")] = None,
) -> None:
    """Re-render a saved JSON report in another format, without auditing again; exits as
    `check` would on the saved findings (0 pass, 1 findings at or above --fail-on)."""
    from .gate import refilter
    from .result import SCHEMA_VERSION

    if format not in FORMATS:
        raise UsageError(f"--format {format!r} is not one of {', '.join(FORMATS)}")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    from .result import SavedReportError, check_saved
    from .safe_load import MAX_BYTES, LoadError, parse, read_text

    try:
        data = check_saved(parse(read_text(saved, "saved report", MAX_BYTES), "json", saved,
                                 "saved report"), str(saved))
    except (LoadError, SavedReportError) as exc:
        raise UsageError(str(exc)) from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{saved} is not a JSON report: {exc}") from None
    try:
        data = refilter(data, select=_split(select), ignore=_split(ignore), fail_on=fail_on)
    except RuleError as exc:
        raise UsageError(str(exc)) from None
    _print(data, format, output, statistics)
    summary = data["summary"]
    raise typer.Exit(1 if summary.get("failing") and not summary.get("exit_zero") else 0)


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="Which schema to print: report (the JSON report's).")] = "report",
) -> None:
    """Print the JSON Schema of the JSON report (docs/reports.md explains its fields)."""
    from .report.json_report import schema_text

    if name != "report":
        raise UsageError(f"no schema {name!r}; the one published is 'report'")
    sys.stdout.write(schema_text())


@app.command("rules")
def list_rules(
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", help="A directory of extra rule files.")] = None,
) -> None:
    """List every rule: id, name, default severity and summary."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for column in ("id", "name", "severity", "summary"):
        table.add_column(column, overflow="fold")
    for rule in _load(rules or _configured_rule_dirs(), validate=False):
        table.add_row(rule.id, rule.name, rule.severity.value, rule.summary)
    Console(highlight=False, width=max(100, Console().width)).print(table)


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(help="A rule id (LA101) or name (episode-count-conflict).")],
    rules: Annotated[Optional[list[Path]], typer.Option("--rules", help="A directory of extra rule files.")] = None,
) -> None:
    """Print one rule's documentation and example."""
    known = _load(rules or _configured_rule_dirs(), validate=False)
    for rule in known:
        if rule_id.upper() == rule.id or rule_id == rule.name:
            kinds = ", ".join(dict.fromkeys(c.kind for c in rule.checks))
            sys.stdout.write(
                f"{rule.id} {rule.name} ({rule.severity.value})\n\n{rule.summary}\n\n"
                f"Why\n{_indent(rule.rationale)}\nExample\n{_indent(rule.example)}\n"
                f"Check: {kinds}; defined in {Path(rule.source).name}\n")
            return
    from .ruleset import did_you_mean

    raise UsageError(f"no rule {rule_id!r}{did_you_mean(rule_id, ((r.id, r.name) for r in known))}; "
                     "`listing-audit rules` lists them")


def _configured_rule_dirs() -> list[Path]:
    """The extra rule directories of the nearest config, so `rules` and `explain` list what
    `check` would run."""
    try:
        return list(config_mod.discover().rule_dirs or [])
    except config_mod.ConfigError as exc:
        raise UsageError(str(exc)) from None


def _indent(text: str) -> str:
    return "".join(f"  {line}\n" for line in text.strip().splitlines())


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        sys.stdout.write(f"listing-audit {__version__}\n")
        raise typer.Exit(0)


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error becomes one line on stderr and exit 2, never a traceback."""
    if (sys.argv[1:] if argv is None else argv) == ["--version"]:
        # Answered before the command line is parsed: typer loads pydantic to coerce values.
        sys.stdout.write(f"listing-audit {__version__}\n")
        return 0
    try:
        with warnings.catch_warnings():
            # Library warnings (a date format pandas guesses, a cast numpy flags) are about
            # values the audit already reports; printed they would only be noise on stderr.
            warnings.simplefilter("ignore")
            result = app(args=argv, standalone_mode=False, prog_name="listing-audit")
        return int(result or 0)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        sys.stderr.write("listing-audit: aborted\n")
        return 2
    except UsageError as exc:
        sys.stderr.write(f"listing-audit: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("listing-audit: interrupted\n")
        return 2
    except BrokenPipeError:
        return 1
    except Exception as exc:  # noqa: BLE001 - the contract: never a traceback
        # Bad flags and arguments: typer raises click's usage errors (vendored in newer
        # typer releases, so they are recognised by their interface, not their class).
        if hasattr(exc, "format_message"):
            message = exc.format_message()
            if message:  # bare `listing-audit` has shown the help already
                sys.stderr.write(f"listing-audit: error: {message}\n")
            return 2
        sys.stderr.write(f"listing-audit: internal error: {type(exc).__name__}: {exc} "
                         "(please report this with the command you ran)\n")
        return 2


def entry() -> None:
    sys.exit(main())
