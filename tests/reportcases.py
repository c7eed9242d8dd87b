"""Shared by the report-format tests: the sample reports and golden-file comparison."""

from __future__ import annotations

import json
import os
from pathlib import Path

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"


def load(name: str) -> dict:
    """A hand-written sample report from tests/data (seed, multi), checked against the schema."""
    from conftest import validate_report

    return validate_report(json.loads((DATA / f"{name}-report.json").read_text(encoding="utf-8")))


def check_golden(name: str, text: str) -> None:
    """Compare with tests/data/golden/<name>; UPDATE_GOLDEN=1 rewrites it instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"{path} is missing; run the tests with UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8"), (
        f"{name} differs from the golden file; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 and review the diff")


def markdown_prose(text: str) -> tuple[str, list[str]]:
    """What a CommonMark renderer reads of a Markdown report outside code spans, and the
    links and raw HTML it makes.

    The prose is the text tokens as written: entities are left undecoded, because GitHub's
    autolinker matches the characters written (`https:`, `www.`, `@`), and `https&#58;` is
    none of them. Code spans are found by a real parser, not a regex, so a backtick in
    listing text is judged as GitHub judges it.
    """
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable("table").disable("entity")
    prose: list[str] = []
    made: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            if token.type == "text":
                prose.append(token.content)
            elif token.type == "link_open":
                made.append(f"link {token.attrs.get('href')}")
            elif token.type in ("html_inline", "html_block"):
                made.append(f"html {token.content}")
            walk(token.children or [])

    walk(parser.parse(text))
    return "\n".join(prose), made
