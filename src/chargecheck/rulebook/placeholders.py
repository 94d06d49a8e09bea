"""The placeholders a rule message may use: a closed set of names.

The rule book checks every message against these names when it loads a rule set; the
engine fills exactly these (`engine.messages.FILLERS`, kept equal by
tests/test_rule_validation.py). The names live here, in a module that imports nothing,
so that checking a message does not need the engine that renders it.
"""

from __future__ import annotations

PLACEHOLDERS = frozenset({
    "victim", "incidents", "occasions", "first", "last", "span_days", "longest_gap_days",
    "decision_date", "charged", "plea", "plea_drops", "markers", "level", "recommended",
    "unsupported_charges", "missing", "obtain", "maximum", "title",
})
# Those written with an offence id, such as `{missing[pha-s2a]}`.
KEYED_PLACEHOLDERS = frozenset({"missing", "obtain", "maximum", "title"})
