"""`chargecheck schema`: the JSON Schema of case files and rule files."""

import sys
from enum import StrEnum
from typing import Annotated

import typer

from chargecheck.cli.commands.options import exit_with, single
from chargecheck.cli.conventions import Command
from chargecheck.cli.runner import EXIT_OK, guarded

cli = single()


class SchemaKind(StrEnum):  # schemas.SCHEMA_KINDS, spelt out for typer (a test keeps them equal)
    case = "case"
    rules = "rules"
    offences = "offences"
    behaviours = "behaviours"
    indicators = "indicators"
    escalation = "escalation"
    audit = "audit"
    manifest = "manifest"


@cli.command(cls=Command)
def schema(kind: Annotated[SchemaKind, typer.Argument(
        metavar="KIND", help="Which file's schema: case, rules, offences, behaviours, "
        "indicators, escalation, audit or manifest.", show_default=False)]) -> None:
    """Print the JSON Schema of case files or rule files.

    \b
    Examples:
      chargecheck schema case > case.schema.json
      chargecheck schema rules
    """
    def run() -> int:
        # On use: pydantic's schema generation for every model.
        import json

        from chargecheck.rulebook.schemas import schema_for

        sys.stdout.write(json.dumps(schema_for(kind.value), indent=2) + "\n")
        return EXIT_OK

    exit_with(guarded(run))
