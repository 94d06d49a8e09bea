"""`chargecheck explain`: one rule, why it matters, its condition in words, its law."""

import sys
from typing import Annotated

import typer

from chargecheck.cli.commands.options import RulesOption, exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import EXIT_OK, guarded

cli = single()


@cli.command(cls=Command)
def explain(
    rule_id: Annotated[str, typer.Argument(
        metavar="RULE_ID", help="A rule id, such as UC-001.", show_default=False)],
    rules: RulesOption = None,
) -> None:
    """Explain one rule: why it matters, its condition in plain English, its law.

    \b
    Examples:
      chargecheck explain UC-001
      chargecheck explain AX-001 --rules my-pack/
    """
    def run() -> int:
        # On use: the rule set and its documentation.
        from chargecheck.cli.rule_loading import load_rules
        from chargecheck.rulebook.directory import test_directories
        from chargecheck.rulebook.rule_docs import explain_text, find_rule
        from chargecheck.rulebook.rule_tests import firing_examples

        rule = find_rule(load_rules(rules), rule_id)
        example = firing_examples(*test_directories(rules)).get(rule["id"])
        sys.stdout.write(explain_text(rule, example))
        return EXIT_OK

    exit_with(guarded(run))
