"""What every report of `assess` takes: the options, and how a party is shown.

Each format's renderer returns the whole report as text; the command line picks the
format's module (cli/renderers.py) and decides whether the text goes to the terminal
or to a file."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from chargecheck.case.model import Case
from chargecheck.engine.assessment import Assessment
from chargecheck.reports.hypothetical import WhatIf, any_changed, mark_if

if TYPE_CHECKING:
    from chargecheck.rulebook.ruleset import RuleSet


class ReportOptions(NamedTuple):
    show_names: bool = False   # names are never printed unless asked
    explain: bool = False      # add the why / why-not reasoning
    terminal: bool = False     # colour (`--color`, `NO_COLOR`)
    # The rule set judged on, for its words: behaviour and marker titles, rule actions.
    rules: RuleSet | None = None
    # `--explain ID ...`: the offence and rule ids the explanation is narrowed to.
    explain_only: tuple[str, ...] = ()
    # `--set`: what the changes made, to be labelled (hypothetical) wherever it shows.
    what_if: WhatIf | None = None


Renderer = Callable[[Assessment, Case, ReportOptions], str]


def shown(label: str, name: str | None, options: ReportOptions, *path: str) -> str:
    """A party's label, with the recorded name only when names were asked for; labelled
    (hypothetical) where a what-if changed the party at `path` (`victims`, `V1`)."""
    text = f"{label} ({name})" if options.show_names and name else label
    fields = ("label", "name", "id") if options.show_names else ("label", "id")
    return mark_if(text, bool(path) and any_changed(options.what_if, path, fields))
