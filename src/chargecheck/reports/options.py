"""The report formats of `assess`, by name. Each renderer returns the whole report as
text; the CLI decides whether it goes to the terminal or to a file."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import NamedTuple

from chargecheck.case.model import Case
from chargecheck.engine.assessment import Assessment


class ReportOptions(NamedTuple):
    show_names: bool = False   # names are never printed unless asked
    explain: bool = False      # add the why / why-not reasoning
    terminal: bool = False     # colour and width for an interactive terminal


Renderer = Callable[[Assessment, Case, ReportOptions], str]


def shown(label: str, name: str | None, options: ReportOptions) -> str:
    """A party's label, with the recorded name only when names were asked for."""
    return f"{label} ({name})" if options.show_names and name else label

# Imported only when chosen, so `--format json` never loads rich.
REPORTERS: dict[str, str] = {
    "json": "chargecheck.reports.json_report:render",
    "text": "chargecheck.reports.text_report:render",
    "markdown": "chargecheck.reports.markdown_report:render",
    "html": "chargecheck.reports.html_report:render",
}


def renderer(name: str) -> Renderer:
    module, _, function = REPORTERS[name].partition(":")
    found: Renderer = getattr(importlib.import_module(module), function)
    return found
