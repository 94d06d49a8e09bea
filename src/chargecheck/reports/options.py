"""What every report of `assess` takes: the options, and how a party is shown.

Each format's renderer returns the whole report as text; the command line picks the
format's module (cli/renderers.py) and decides whether the text goes to the terminal
or to a file."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from chargecheck.case.model import Case
from chargecheck.engine.assessment import Assessment

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


Renderer = Callable[[Assessment, Case, ReportOptions], str]


def shown(label: str, name: str | None, options: ReportOptions) -> str:
    """A party's label, with the recorded name only when names were asked for."""
    return f"{label} ({name})" if options.show_names and name else label
