"""The report module for each `--format` of assess, imported only once it is chosen.

`--format json` must never load rich (tests/test_import_guards.py), so the choice of a
format's module is made here, in the command layer, when the format is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chargecheck.reports.options import Renderer


def renderer(name: str) -> Renderer:
    """The render function of the report format `name` (text, json, markdown, html)."""
    # One import per format, inside the function, so only the chosen module is loaded.
    if name == "json":
        from chargecheck.reports.json_report import render
    elif name == "markdown":
        from chargecheck.reports.markdown_report import render
    elif name == "html":
        from chargecheck.reports.html_report import render
    elif name == "text":
        from chargecheck.reports.text_report import render
    else:
        raise KeyError(name)
    return render
