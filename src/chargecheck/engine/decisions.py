"""Recorded decisions (contract 1.1 `decisions`), each set beside the finding it answers.

A decision answers a finding when it names the finding's rule and its victims (every
victim, when it names none) include each victim the finding is for. Of several, the
latest by `on` is attached: it is the lawyer's current position. `accepted` and
`not-followed` settle a finding, which then stops counting towards `--fail-on` but stays
in every report (`Finding.settled`, `Assessment.fails`); `deferred` is still waiting for
evidence, so the finding keeps counting.
A decision that answers no finding is a warning (stale or misspelt), never an error.

Pure: `assess` judges the law, and the command that reads the file applies this to its
result (cli/runner.py, cli/what_if.py, cli/audit.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from chargecheck.case.consistency import FileWarning
from chargecheck.case.model import Case, Decision
from chargecheck.engine.assessment import Assessment, Finding
from chargecheck.rulebook.ruleset import RuleSet
from chargecheck.spelling import closest

Labels = Mapping[str, str]  # victim id -> the label findings name victims by


def with_decisions(result: Assessment, case: Case, rules: RuleSet) -> Assessment:
    """`result` with each finding's decision attached and a warning per unanswered one."""
    if not case.decisions:  # most files record none: nothing to attach, nothing stale
        return result
    labels = {v.id: v.shown_as for v in case.victims}
    findings = tuple(f._replace(decision=latest(f, case.decisions, labels))
                     for f in result.findings)
    known = [r.id for r in rules.rules]
    stale = tuple(_unanswered(case.decisions, findings, labels, known))
    return result._replace(findings=findings, warnings=(*result.warnings, *stale))


def answers(decision: Decision, finding: Finding, labels: Labels) -> bool:
    if decision.rule != finding.rule:
        return False
    if decision.victims is None:
        return True
    return set(finding.victims) <= {labels.get(v, v) for v in decision.victims}


def latest(finding: Finding, decisions: Sequence[Decision], labels: Labels
           ) -> Decision | None:
    """The most recent decision answering `finding`; on the same day, the later entry."""
    matching = [d for d in reversed(decisions) if answers(d, finding, labels)]
    return max(matching, key=lambda d: d.on, default=None)


def heading(decision: Decision) -> str:
    """`Decision (not followed, 2017-03-02, Reviewing lawyer)`: what each format shows
    before the reason. Plain text: `by` is case text, so each format escapes it."""
    parts = [decision.response.replace("-", " "), decision.on.isoformat()]
    if decision.by:
        parts.append(decision.by)
    return f"Decision ({', '.join(parts)})"


def _unanswered(decisions: Sequence[Decision], findings: Sequence[Finding], labels: Labels,
                known: Sequence[str]) -> Iterator[FileWarning]:
    """Warnings shaped like the contradictions (`path`, `message`), one per decision
    that answers no finding. A decision superseded by a later one still answers."""
    fired = {f.rule: f for f in findings}
    for n, decision in enumerate(decisions):
        if any(answers(decision, f, labels) for f in findings):
            continue
        if decision.rule in fired:
            yield FileWarning(f"decisions.{n}.victims",
                              _other_victims(decision, fired[decision.rule], labels))
        else:
            yield FileWarning(f"decisions.{n}.rule",
                              _no_finding(decision.rule, sorted(fired), known))


def _no_finding(rule: str, fired: list[str], known: Sequence[str]) -> str:
    if rule in known:
        message = f"the decision on {rule} answers no finding: {rule} did not fire on this file"
        # A stale answer, or one written against a sibling rule that did fire.
        match = closest(rule, [r for r in fired if r != rule])
    else:
        message = f"the decision names {rule}, which is not a rule of this rule set"
        match = closest(rule, fired) or closest(rule, known)
    return message + (f"; did you mean {match}?" if match else "")


def _other_victims(decision: Decision, finding: Finding, labels: Labels) -> str:
    named = ", ".join(labels.get(v, v) for v in decision.victims or ())
    return (f"the decision on {decision.rule} is for {named}, but that finding is for "
            f"{', '.join(finding.victims)}; a decision answers a finding only when it names "
            "every victim the finding is for (or names none)")
