"""Case text shown literally: control characters as escapes, never sent to a terminal.

The text report, the timeline, the training view and the audit's tables show case text
through `safe`; it needs nothing else, so the audit's plain formats can use it without
the text report's rich.
"""

from __future__ import annotations

import re

# C0/C1 controls and DEL, plus the invisible controls that reorder or hide text on screen
# (zero-width and bidirectional marks, line separators, BOM).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def safe(value: object) -> str:
    """Show control characters (ANSI escapes included) literally, as `\\x1b`."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), str(value))
