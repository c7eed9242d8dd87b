"""The closed vocabulary of check kinds a rule file may use, each implemented once."""

from __future__ import annotations

from types import ModuleType

from . import (conditional, consistency, duplicate, encoding, pattern, range, relevance, reported,
               schema, sequence)

CHECKS: dict[str, ModuleType] = {
    module.KIND: module
    for module in (consistency, duplicate, conditional, range, schema, pattern, sequence,
                   relevance, encoding, reported)
}
