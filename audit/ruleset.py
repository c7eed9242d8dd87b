"""Rule files: loading, validating, selecting.

Rules are data. A file under rules/ (or a --rules directory) holds `rules:`, a list of
mappings; each names one or more checks from the closed vocabulary in audit/checks. Files are
read with yaml.safe_load, and every value is validated before any input is read, so a broken
rule stops the run (exit 2) with the file, the rule and what is wrong.

The check kinds (audit/checks) need pandas; they are imported only when a rule's checks are
validated or run, so listing and explaining rules starts without them.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml

from .model import SEVERITIES, Severity
from .safe_load import LoadError, parse, read_text

RULE_ID = re.compile(r"^[A-Z]{2,5}\d{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_RULE_KEYS = {"id", "name", "severity", "summary", "rationale", "example", "message",
              "parameters", "check", "checks", "mostly", "explains"}
_REQUIRED = ("id", "name", "severity", "summary", "rationale", "example", "message")


class RuleError(Exception):
    """A rule file that cannot be used. str() is the one line the user sees."""


@dataclass
class Check:
    kind: str
    raw: dict[str, Any]
    message: str | None = None
    severity: Severity | None = None


@dataclass
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    example: str
    message: str
    checks: list[Check]
    parameters: dict[str, Any] = field(default_factory=dict)
    source: str = ""
    # The share of a column's rows expected to pass before the findings become one column
    # roll-up (audit/rollup.py); None takes the default.
    mostly: float | None = None
    # Rules whose findings this rule's findings explain: one cause, one finding (see
    # audit/engine.py, explained()).
    explains: tuple[str, ...] = ()

    def resolved(self, check: Check, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
        """The check's parameters with $references replaced by the rule's parameter values."""
        from .checks import CHECKS
        from .checks.base import CheckError, validate_params

        values = {**self.parameters, **(overrides or {})}

        def resolve(value: Any) -> Any:
            if isinstance(value, str) and value.startswith("$"):
                name = value[1:]
                if name not in values:
                    raise CheckError(f"'{value}' names no parameter of rule {self.id}")
                return values[name]
            if isinstance(value, dict):
                return {k: resolve(v) for k, v in value.items()}
            if isinstance(value, list):
                return [resolve(v) for v in value]
            return value

        module = CHECKS[check.kind]
        params = validate_params(check.kind, module.PARAMETERS, check.raw, resolve)
        if hasattr(module, "validate"):
            module.validate(params)
        return params

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "name": self.name, "severity": self.severity.value,
               "summary": self.summary, "rationale": self.rationale.strip(),
               "example": self.example.strip()}
        if self.explains:
            out["explains"] = list(self.explains)
        return out


def builtin_rules_dir() -> Path:
    """The shipped rule files: inside the installed package, or rules/ in a source checkout."""
    packaged = resources.files("audit") / "rules"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "rules"


# A message template may only fail when it is rendered, long after the rule file was read:
# every placeholder is checked here instead. A width or precision is capped so that
# "{value:>999999999}" cannot ask for a gigabyte per finding.
_FORMAT_SPEC = re.compile(r"(?:.?[<>^=])?[+ -]?#?0?(?P<width>\d{1,3})?,?(?:\.(?P<precision>\d{1,3}))?[sdfgeEGn%x]?")


def _template_fields(template: str) -> set[str]:
    names = set()
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise RuleError(f"message template is malformed: {exc}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not name.isidentifier():
            raise RuleError(f"message placeholder {{{name}}} must be a plain name")
        if conversion not in (None, "r", "s", "a"):
            raise RuleError(f"message placeholder {{{name}!{conversion}}}: the conversion must "
                            "be !r, !s or !a")
        if spec and ("{" in spec or not _FORMAT_SPEC.fullmatch(spec)):
            raise RuleError(f"message placeholder {{{name}:{spec}}}: the format spec must be "
                            "simple (no nested fields; width and precision below 1000)")
        names.add(name)
    return names


def _parse_rule(raw: Any, source: str, validate: bool = True) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{source}: each rule must be a mapping, found {type(raw).__name__}")
    label = f"{source}: rule {raw.get('id', '?')}"
    unknown = sorted(set(raw) - _RULE_KEYS)
    if unknown:
        raise RuleError(f"{label}: unknown key {', '.join(map(repr, unknown))}")
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if missing:
        raise RuleError(f"{label}: missing {', '.join(missing)}")
    if not RULE_ID.match(str(raw["id"])):
        raise RuleError(f"{label}: id must look like LA123")
    if not RULE_NAME.match(str(raw["name"])):
        raise RuleError(f"{label}: name {raw['name']!r} must be kebab-case")
    if raw["severity"] not in SEVERITIES:
        raise RuleError(f"{label}: severity must be one of {', '.join(SEVERITIES)}")
    if ("check" in raw) == ("checks" in raw):
        raise RuleError(f"{label}: give exactly one of 'check' or 'checks'")
    raw_checks = [raw["check"]] if "check" in raw else raw["checks"]
    if not isinstance(raw_checks, list) or not raw_checks:
        raise RuleError(f"{label}: 'checks' must be a non-empty list")
    parameters = raw.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise RuleError(f"{label}: 'parameters' must be a mapping")
    explains = raw.get("explains") or []
    if not isinstance(explains, list) or not all(
            isinstance(e, str) and RULE_ID.match(e) for e in explains):
        raise RuleError(f"{label}: 'explains' must be a list of rule ids such as [LA303]")
    if raw["id"] in explains:
        raise RuleError(f"{label}: a rule cannot explain itself")
    mostly = raw.get("mostly")
    if mostly is not None and (isinstance(mostly, bool) or not isinstance(mostly, (int, float))
                               or not 0 <= mostly <= 1):
        raise RuleError(f"{label}: 'mostly' must be a number from 0 to 1, not {mostly!r}")
    if validate:
        from .checks import CHECKS
        from .checks.base import CheckError
        kinds: Any = CHECKS
    else:
        # Listing and explaining rules: the checks are validated when they are run.
        kinds = {raw_check.get("kind") for raw_check in raw_checks if isinstance(raw_check, dict)}
    checks = []
    for raw_check in raw_checks:
        if not isinstance(raw_check, dict) or raw_check.get("kind") not in kinds:
            kind = raw_check.get("kind") if isinstance(raw_check, dict) else raw_check
            raise RuleError(f"{label}: unknown check kind {kind!r} "
                            f"(known: {', '.join(sorted(kinds))})")
        severity = raw_check.get("severity")
        if severity is not None and severity not in SEVERITIES:
            raise RuleError(f"{label}: check severity must be one of {', '.join(SEVERITIES)}")
        checks.append(Check(kind=raw_check["kind"], raw=raw_check, message=raw_check.get("message"),
                            severity=Severity(severity) if severity else None))
    rule = Rule(id=raw["id"], name=raw["name"], severity=Severity(raw["severity"]),
                summary=str(raw["summary"]).strip(), rationale=str(raw["rationale"]),
                example=str(raw["example"]), message=str(raw["message"]), checks=checks,
                parameters=parameters, source=source, explains=tuple(explains),
                mostly=None if mostly is None else float(mostly))
    for check in checks if validate else []:
        try:
            rule.resolved(check)
            allowed = CHECKS[check.kind].VARIABLES
            stray = _template_fields(check.message or rule.message) - allowed
            if stray:
                raise RuleError(f"message uses {', '.join(sorted(stray))}; a {check.kind} "
                                f"check provides {', '.join(sorted(allowed)) or 'nothing'}")
        except (CheckError, RuleError) as exc:
            raise RuleError(f"{label}: {exc}") from None
    return rule


def load_file(path: Path, validate: bool = True) -> list[Rule]:
    try:
        data = parse(read_text(path, "rule file"), "yaml", path, "rule file")
    except LoadError as exc:
        raise RuleError(str(exc)) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}, column {where.column + 1}" if where else ""
        raise RuleError(f"{path}: not valid YAML{at}: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{path}: a rule file must be a mapping with a 'rules' list")
    return [_parse_rule(raw, str(path), validate) for raw in data["rules"]]


def load_rules(extra_dirs: list[Path] | None = None, *, validate: bool = True) -> list[Rule]:
    """Every rule, built-in and from `extra_dirs`. `validate=False` skips checking each check's
    parameters (and importing the check kinds): enough to list or explain rules."""
    rules: dict[str, Rule] = {}
    names: dict[str, str] = {}
    for directory in [builtin_rules_dir(), *(extra_dirs or [])]:
        if not directory.is_dir():
            raise RuleError(f"{directory}: rule directory not found")
        for path in sorted(directory.glob("*.y*ml")):
            for rule in load_file(path, validate):
                if rule.id in rules:
                    raise RuleError(f"{path}: rule {rule.id} is already defined in "
                                    f"{rules[rule.id].source}")
                if rule.name in names:
                    raise RuleError(f"{path}: rule name {rule.name} is already used by "
                                    f"{names[rule.name]}")
                rules[rule.id] = rule
                names[rule.name] = rule.id
    for rule in rules.values():
        unknown = [e for e in rule.explains if e not in rules]
        if unknown:
            raise RuleError(f"{rule.source}: rule {rule.id} explains {', '.join(unknown)}, "
                            "which no rule file defines")
    return sorted(rules.values(), key=lambda r: r.id)


def select_rules(rules: list[Rule], select: list[str] | None, ignore: list[str] | None) -> list[Rule]:
    """--select / --ignore by id, id prefix (LA1, LA10) or name; unknown names are an error."""
    for token in [*(select or []), *(ignore or [])]:
        if not any(rule_matches(rule.id, rule.name, token) for rule in rules):
            raise RuleError(f"--select/--ignore: no rule matches {token!r}"
                            f"{did_you_mean(token, ((r.id, r.name) for r in rules))}")
    chosen = [r for r in rules if not select or any(rule_matches(r.id, r.name, t) for t in select)]
    return [r for r in chosen if not any(rule_matches(r.id, r.name, t) for t in (ignore or []))]


def rule_matches(rule_id: str, name: str, token: str) -> bool:
    """Does a --select/--ignore token (id, id prefix such as LA1, name, or ALL) name this rule?"""
    return name == token or rule_id.startswith(token.upper()) or token.upper() == "ALL"


def did_you_mean(token: str, rules: Iterable[tuple[str, str]]) -> str:
    """' (did you mean LA101?)' for a token close to a rule id or name, else ''.

    `rules` are (id, name) pairs."""
    pairs = list(rules)
    ids = [rule_id for rule_id, _ in pairs]
    names = [name for _, name in pairs]
    # Ids compare upper-case with the letter O read as a zero ("LA1O1" is LA101).
    guess = difflib.get_close_matches(token.upper().replace("O", "0"),
                                      [i.replace("O", "0") for i in ids], n=1, cutoff=0.75)
    if guess:
        match = next(i for i in ids if i.replace("O", "0") == guess[0])
        return f" (did you mean {match}?)"
    guess = difflib.get_close_matches(token.lower(), list(names), n=1, cutoff=0.75)
    return f" (did you mean {guess[0]}?)" if guess else ""
