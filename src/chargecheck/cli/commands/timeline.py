"""`chargecheck timeline`: the course of conduct drawn in the terminal."""

import os
import sys

from chargecheck.cli.commands.options import CasePath, RulesOption, exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import EXIT_OK, guarded

cli = single()


@cli.command(cls=Command)
def timeline(case: CasePath, rules: RulesOption = None) -> None:
    """Draw the course of conduct: incidents, gaps, frequency and the six-month window.

    Shows warnings and orders, and points out rising frequency or severity.

    \b
    Examples:
      chargecheck timeline case.yaml
    """
    def run() -> int:
        # On use: the case model, the engine and rich.
        from chargecheck.case.loading import load_case
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.reports.timeline import draw

        terminal = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(draw(load_case(case), load_rules(rules), terminal))
        return EXIT_OK

    exit_with(guarded(run))
