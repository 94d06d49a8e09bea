"""The HTML report: one self-contained, printable file.

No scripts, fonts, images or requests of any kind: the styles are inline and a
Content-Security-Policy forbids loading anything. Case text is data, never markup:
every value written into the page goes through `h()` (control characters shown as
escapes, then `html.escape`).
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime

from chargecheck import __version__
from chargecheck.case.model import Case
from chargecheck.engine.assessment import Assessment, Finding
from chargecheck.reports.escaping import one_line
from chargecheck.reports.markdown_report import (
    COURSE_COLUMNS,
    INCIDENT_COLUMNS,
    INDICATOR_COLUMNS,
    LADDER_COLUMNS,
    LADDER_STATUS,
    NO_WARNINGS,
    NOTICE,
    Row,
    action_items,
    bottom_items,
    by_severity,
    course_rows,
    finding_items,
    incident_rows,
    indicator_rows,
    ladder_rows,
    law_text,
    narrowed_to,
    reasoning_lines,
    ruleset_items,
    summary_items,
    top_findings,
    warning_items,
)
from chargecheck.reports.options import ReportOptions

CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
       "connect-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'")

STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111;
       max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #333; margin-top: 1.75rem; }
h3 { font-size: 1.05rem; margin-top: 1.25rem; }
.notice { border: 2px solid #333; padding: .5rem .75rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; }
th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
th { background: #eee; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
.finding { border-left: 4px solid #999; padding: .1rem .75rem; margin: .75rem 0;
           break-inside: avoid; }
.critical { border-color: #a00; } .high { border-color: #d33; }
.medium { border-color: #c80; } .low { border-color: #39c; } .info { border-color: #999; }
.supported, .met { color: #060; } .unknown { color: #850; }
.not-supported, .not-met { color: #555; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .8rem; }
footer { margin-top: 2rem; font-size: .85rem; }
td.date { white-space: nowrap; }
#bottom-line { border: 2px solid #333; padding: 0 .75rem .5rem; }
#bottom-line h2 { margin-top: .5rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  tr, .notice { break-inside: avoid; }
  thead { display: table-header-group; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""


# Every page, printed: the reference and "advisory only" at the foot, with page X of Y.
PAGE = """
@page {{ size: A4; margin: 15mm 15mm 18mm;
  @bottom-left {{ content: "{reference} \\2014  advisory only, not legal advice";
                 font: 8pt system-ui, Arial, sans-serif; color: #333; }}
  @bottom-right {{ content: "page " counter(page) " of " counter(pages);
                  font: 8pt system-ui, Arial, sans-serif; color: #333; }} }}
"""
# Columns holding dates: never broken inside a cell.
DATE_COLUMNS = {"Date", "First", "Last"}


def css_string(value: object) -> str:
    """Case text inside a CSS string: anything but plain letters and digits as an escape."""
    return re.sub(r"[^A-Za-z0-9 _.,:-]", lambda m: f"\\{ord(m.group()):06x}", one_line(value))


def made_on() -> date:
    """The day the report was made: `SOURCE_DATE_EPOCH` if set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date()
    return datetime.now(UTC).date()


def made_items(result: Assessment) -> list[Row]:
    """What made the report, and when: enough to trust or reproduce a filed copy."""
    items: list[Row] = [("Tool", f"chargecheck {__version__}"),
                        ("Rule set", f"{result.ruleset_version} ({result.ruleset_digest})")]
    receipt = result.receipt
    if receipt is not None:  # the digest the command took of the file's bytes
        items.append(("Case file", receipt.case_digest))
    if receipt is not None and receipt.changes:
        items.append(("What-if changes (hypothetical)", "; ".join(receipt.changes)))
    return [*items, ("Decision date", result.decision_date.isoformat()),
            ("Report made", made_on().isoformat())]


def h(value: object) -> str:
    """Case text as HTML text: never markup."""
    return html.escape(one_line(value), quote=True)


def render(result: Assessment, case: Case, options: ReportOptions) -> str:
    """The whole report as one HTML page."""
    title = f"chargecheck assessment: {h(result.reference)}"
    body = [
        f"<header><h1>{title}</h1>",
        f'<p class="notice" role="note">{h(NOTICE)}</p></header>',
        '<section id="bottom-line"><h2>The bottom line</h2>',
        _items(bottom_items(result, case, options)), _actions(result, options), _top(result),
        "</section>",
        '<section id="summary"><h2>Case summary</h2>',
        _items(summary_items(result, case, options)),
        "<h3>Course of conduct per victim</h3>", _table(COURSE_COLUMNS, course_rows(result)),
        "<h3>Incidents</h3>", _table(INCIDENT_COLUMNS, incident_rows(case, options)), "</section>",
        '<section id="indicators"><h2>FOUR indicators</h2>',
        "<p>Screening aid, not a legal test.</p>",
        _table(INDICATOR_COLUMNS, indicator_rows(result), status=1), "</section>",
        '<section id="offences"><h2>Offence ladder</h2>',
        _table(LADDER_COLUMNS, ladder_rows(result, case, options), status=LADDER_STATUS),
        "</section>",
        '<section id="warnings"><h2>Warnings</h2>', _warnings(result), "</section>",
        '<section id="findings"><h2>Findings</h2>', _findings(result, case, options),
        "</section>",
        '<section id="not-assessed"><h2>Not assessed</h2>', _not_assessed(result), "</section>",
        '<section id="ruleset"><h2>Rule set</h2>', _items(ruleset_items(result)), "</section>",
        _reasoning(result),
        '<section id="made"><h2>About this report</h2>', _items(made_items(result)),
        "</section>",
        f"<footer><p>{h(NOTICE)}</p></footer>",
    ]
    return _page(title, "\n".join(body), PAGE.format(reference=css_string(result.reference)))


def _page(title: str, body: str, page: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{STYLE}{page}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _items(items: Sequence[Row]) -> str:
    rows = "".join(f"<dt>{h(key)}</dt><dd>{h(value)}</dd>" for key, value in items)
    return f"<dl>{rows}</dl>"


def _table(columns: Row, rows: Sequence[Row], status: int | None = None) -> str:
    head = "".join(f'<th scope="col">{h(c)}</th>' for c in columns)
    classes = [h(row[status]) if status is not None else "" for row in rows]
    dated = [i for i, c in enumerate(columns) if c in DATE_COLUMNS]
    body = "".join(f"<tr>{_cells(r, status, kind, dated)}</tr>\n"
                   for r, kind in zip(rows, classes, strict=True))
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def _cells(row: Row, status: int | None, kind: str, dated: list[int]) -> str:
    def cell(i: int, c: str) -> str:
        css = kind if i == status else "date" if i in dated else ""
        return f'<td class="{css}">{h(c)}</td>' if css else f"<td>{h(c)}</td>"
    return "".join(cell(i, c) for i, c in enumerate(row))


def _reasoning(result: Assessment) -> str:
    if result.explanation is None:
        return ""
    lines, narrowed = law_text(result), narrowed_to(result)
    suffix = f" {h(narrowed)}" if narrowed else ""
    law = html.escape("\n".join(lines), quote=True)
    text = html.escape("\n".join(reasoning_lines(result)), quote=True)
    return ((f'<section id="law"><h2>The law, element by element{suffix}</h2>\n'
             f"<pre>{law}</pre></section>\n" if lines else "")
            + f'<section id="explanation"><h2>Why and why not{suffix}</h2>\n'
            f"<pre>{text}</pre></section>")


def _warnings(result: Assessment) -> str:
    items = warning_items(result)
    return _items(items) if items else f"<p>{h(NO_WARNINGS)}</p>"


def _top(result: Assessment) -> str:
    top = top_findings(result)
    if not top:
        return ""
    items = "".join(f"<li>{h(line)}</li>" for line in top)
    return f"<h3>Most serious findings</h3><ul>{items}</ul>"


def _actions(result: Assessment, options: ReportOptions) -> str:
    actions = action_items(result, options)
    if not actions:
        return ""
    items = "".join(f"<li>{h(action)}</li>" for action in actions)
    return f"<h3>What to do first</h3><ol>{items}</ol>"


def _findings(result: Assessment, case: Case, options: ReportOptions) -> str:
    if not result.findings:
        return "<p>No findings.</p>"
    parts: list[str] = []
    for severity, group in by_severity(result):
        parts.append(f"<h3>{h(severity.upper())} ({len(group)})</h3>")
        parts += [_finding(f, case, options) for f in group]
    return "\n".join(parts)


def _finding(f: Finding, case: Case, options: ReportOptions) -> str:
    items = _items(finding_items(f, case, options.what_if))
    return (f'<article class="finding {h(f.severity)}">'
            f"<h4>{h(f.rule)}: {h(f.title)}</h4>{items}</article>")


def _not_assessed(result: Assessment) -> str:
    if not result.not_assessed:
        return "<p>Every rule could be assessed on this file.</p>"
    items = "".join(f"<li><strong>{h(rule)}</strong>: {h(title)}</li>"
                    for rule, title in result.not_assessed)
    return f"<p>The file lacks the facts these checks need (not a pass):</p><ul>{items}</ul>"
