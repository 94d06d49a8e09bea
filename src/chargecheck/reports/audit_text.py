"""The review table of `chargecheck audit` as text, drawn with rich.

Apart from the other formats (audit_report.py) so that only `--format text` imports rich.
Case text is data: the console has markup and highlighting off.
"""

from __future__ import annotations

from typing import Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from chargecheck import ADVISORY
from chargecheck.reports.audit_report import CaseLines, Section, headline, sections


class TextReporter(CaseLines):
    def line(self, fields: tuple[str, ...]) -> str:
        reference, charged, recommended, worst = fields
        return f"{reference:<20} {charged:<30} {recommended:<30} {worst}\n"

    def finish(self) -> None:
        console = Console(markup=False, highlight=False, emoji=False)
        if self.started:
            console.print()
        console.print(Text("chargecheck audit", style="bold"))
        for line in headline(self.tally):
            console.print(Text(line))
        for section in sections(self.tally):
            table = Table(title=section.title, title_justify="left")
            for n, column in enumerate(section.columns):
                table.add_column(column, overflow="fold",
                                 justify="left" if n == 0 else _justify(section, n))
            for row in section.rows:
                table.add_row(*row)
            console.print()
            console.print(table)
        console.print()
        console.print(Text(ADVISORY.upper(), style="bold"))


def _justify(section: Section, column: int) -> Literal["left", "right"]:
    """Counts and shares line up on the right."""
    numeric = all(row[column].rstrip("%").replace(".", "").isdigit() or not row[column]
                  for row in section.rows)
    return "right" if numeric else "left"
