"""The closed vocabulary of check kinds a rule file may use, each implemented once."""

from __future__ import annotations

from types import ModuleType

from .base import Needs

from . import (conditional, consistency, duplicate, encoding, pattern, range, relevance, reported,
               schema, sequence)

CHECKS: dict[str, ModuleType] = {
    module.KIND: module
    for module in (consistency, duplicate, conditional, range, schema, pattern, sequence,
                   relevance, encoding, reported)
}


def scope_of(kind: str, params: dict) -> str:
    """"listing" when each hit of this check reads one listing's rows only, "catalogue" when
    it compares listings. A rule author never says which: the check kind knows."""
    module = CHECKS[kind]
    return module.scope(params) if hasattr(module, "scope") else module.SCOPE


def gathered(kind: str, params: dict) -> Needs:
    """The rows a catalogue-wide check reads besides the listings table."""
    return CHECKS[kind].gathers(params)
