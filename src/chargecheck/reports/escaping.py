"""Case text shown literally, in each format: never sent to a terminal, never markup.

Which characters are hidden (controls, ANSI escapes, bidirectional and zero-width marks)
is decided once, by `errors.printable`. Each function here adds one format's need on top:
`safe` keeps the text's lines and tabs for the text reports, `one_line` puts it on one
line for a table cell or heading, `markdown` escapes Markdown's own characters. None
needs rich, so the plain formats (Markdown, HTML, the audit's tables) can use them.
"""

from __future__ import annotations

import re

from chargecheck.errors import printable

_BREAKS = re.compile(r"[\t\n\r]+")
_MARKDOWN = frozenset("\\`*_[]<>#!|~&$")


def safe(value: object) -> str:
    """Text for a terminal: hidden characters shown as escapes (`\\x1b`), lines and tabs
    kept for the report to wrap."""
    return printable(str(value), keep="\t\n")


def one_line(value: object) -> str:
    """Text on one line: each run of line breaks and tabs one space, hidden characters
    shown as escapes."""
    return printable(_BREAKS.sub(" ", str(value)).strip())


def md(value: object) -> str:
    """Text that renders literally in Markdown, table cells included, on one line."""
    return "".join("\\" + c if c in _MARKDOWN else c for c in one_line(value))
