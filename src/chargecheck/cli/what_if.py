"""`assess CASE --set ...`: the case assessed before and after the changes, side by side.

Imported by the runner only when `--set` is given.
"""

from __future__ import annotations

from chargecheck.case.edits import changed_case, parse_change
from chargecheck.case.loading import CaseFile
from chargecheck.case.model import Case
from chargecheck.case.yamlio import load
from chargecheck.cli.renderers import renderer
from chargecheck.engine.assess import assess
from chargecheck.engine.assessment import Assessment
from chargecheck.engine.decisions import with_decisions
from chargecheck.engine.reasoning import explained
from chargecheck.engine.receipt import stamped
from chargecheck.reports.hypothetical import WhatIf, marked_explanation
from chargecheck.reports.options import ReportOptions
from chargecheck.reports.what_if import as_json, compare, diff_lines, with_diff
from chargecheck.rulebook.ruleset import RuleSet


def what_if(case_path: str, read: CaseFile, rules: RuleSet, changes: list[str],
            format_name: str, options: ReportOptions) -> tuple[Assessment, str]:
    """Assess the case before and after `changes`; return the after-assessment and report."""
    parsed = [parse_change(argument) for argument in changes]
    # The text already read: the receipt's digest is of the very bytes both sides judge.
    changed = changed_case(load(case_path, read.text), parsed)
    before = _judged(read.case, rules)
    # Both sides are judged on the same day, even where the file leaves the date out.
    after = _judged(changed, rules, before)
    brought = set(after.escalation.markers) - set(before.escalation.markers)
    supposed = WhatIf(tuple(c.path for c in parsed), frozenset(brought))
    options = options._replace(what_if=supposed)
    if options.explain:
        after = explained(after, rules, options.explain_only)
        assert after.explanation is not None
        after = after._replace(explanation=marked_explanation(after.explanation, supposed,
                                                              changed))
    # The digest is of the file as it is on disk, so the receipt also lists the changes.
    after = stamped(after, read.digest, changes)
    diff = compare(before, after)
    if format_name == "json":
        return after, as_json(parsed, before, after, changed, options, diff)
    report = renderer(format_name)(after, changed, options)
    names = {o.offence: f"{o.title}, {o.citation}" for o in (*before.offences, *after.offences)}
    return after, with_diff(format_name, report, diff_lines(parsed, diff, names))


def _judged(case: Case, rules: RuleSet, before: Assessment | None = None) -> Assessment:
    """`case` assessed, with its recorded decisions beside the findings they answer."""
    when = None if before is None else before.decision_date
    return with_decisions(assess(case, rules, when), case, rules)
