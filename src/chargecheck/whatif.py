"""What-if (`assess CASE --set PATH=VALUE ...`): change facts, re-assess, show the difference.

The changes are applied to the case file's YAML data in memory and the result goes
through the same validation as a file, so a bad value gets the usual precise message.
The file itself is never written.

Paths name list items by id for `victims` and `incidents` (`victims.V1.very_frightened`)
and by position elsewhere (`charges.0.offence`; the next free position adds an item).
Values are read like a YAML scalar in a case file: `true`, `false`, dates, numbers,
words, flow lists such as `[a, b]`; `null` removes the key, making the fact unknown.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from chargecheck.case.loading import case_from_document
from chargecheck.case.model import Case
from chargecheck.case.yamlio import Document, load
from chargecheck.engine.assess import assess
from chargecheck.engine.assessment import Assessment
from chargecheck.engine.reasoning import explained
from chargecheck.errors import InputError, Path, Problem, dotted
from chargecheck.reports.json_report import report_data
from chargecheck.reports.options import ReportOptions, renderer
from chargecheck.rulebook.ruleset import RuleSet
from chargecheck.spelling import closest

BY_ID = ("victims", "incidents")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Change:
    argument: str           # as typed, for messages
    path: tuple[str, ...]   # as typed, split at dots
    value: Any              # None removes the key


def what_if(case_path: str, case: Case, rules: RuleSet, changes: list[str], format_name: str,
            options: ReportOptions) -> tuple[Assessment, str]:
    """Assess the case before and after `changes`; return the after-assessment and report."""
    parsed = [parse_change(argument) for argument in changes]
    changed = changed_case(load(case_path), parsed)
    before = assess(case, rules)
    # Both sides are judged on the same day, even where the file leaves the date out.
    after = assess(changed, rules, before.decision_date)
    if options.explain:
        after = explained(after, rules)
    diff = compare(before, after)
    if format_name == "json":
        body = {"changes": [{"set": dotted(c.path), "value": _plain(c.value)} for c in parsed],
                "before": summary(before), "after": report_data(after, changed, options),
                "diff": diff}
        return after, json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    report = renderer(format_name)(after, changed, options)
    return after, _with_diff(format_name, report, diff_lines(parsed, diff))


# --- reading and applying changes ---------------------------------------------------------

def parse_change(argument: str) -> Change:
    path, equals, raw = argument.partition("=")
    parts = tuple(path.strip().split("."))
    if not equals or not all(parts):
        raise _bad(argument, "expected PATH=VALUE, such as victims.V1.very_frightened=true")
    if not raw.strip():
        raise _bad(argument, "give a value after '=' (null removes the key)")
    return Change(argument, parts, _value(argument, raw.strip()))


def _value(argument: str, text: str) -> Any:
    """A YAML scalar or flow list, read by the project's strict loader."""
    try:
        value = load(f"--set {argument}", text).data
    except InputError as exc:
        if text[0] in "[{" or _ISO_DATE.fullmatch(text):  # meant as a list or a date: say so
            raise _bad(argument, exc.problems[0].message) from None
        return text  # other text YAML cannot read (`@home`, `a: b: c`) is taken as words
    if isinstance(value, dict | list) and text[0] not in "[{":
        return text  # `a: b` or `- x` typed on a command line means words, not structure
    return value


def changed_case(doc: Document, changes: list[Change]) -> Case:
    """The case with `changes` applied to its data, validated like a file."""
    applied = [(change, apply(doc.data, change)) for change in changes]
    try:
        return case_from_document(doc)
    except InputError as exc:
        raise InputError([_blame(problem, applied) for problem in exc.problems]) from None


def apply(data: Any, change: Change) -> Path:
    """Make one change in place; return the key path it changed (lists by position)."""
    if not isinstance(data, dict):
        raise _bad(change.argument, "the case file is not a mapping of case fields")
    node: Any = data
    done: list[str | int] = []
    for n, segment in enumerate(change.path):
        key = _locate(node, segment, tuple(done), change)
        if n == len(change.path) - 1:
            _assign(node, key, change.value)
            return (*done, key)
        node = _descend(node, key, change.path[n + 1])
        done.append(key)
    raise AssertionError("unreachable: a path has at least one part")


def _locate(node: Any, segment: str, done: Path, change: Change) -> str | int:
    if isinstance(node, dict):
        return segment
    if not isinstance(node, list):
        raise _bad(change.argument, f"{dotted(done)} is a single value, not a mapping or list")
    if len(done) == 1 and done[0] in BY_ID:
        ids = [item.get("id") for item in node if isinstance(item, dict)]
        if segment not in ids:
            match = closest(segment, [str(i) for i in ids])
            hint = f"; did you mean {match!r}?" if match is not None else (
                f" (ids: {', '.join(map(str, ids))})")
            raise _bad(change.argument, f"no item of {done[0]} has id {segment!r}{hint}")
        return ids.index(segment)
    if not segment.isdigit() or int(segment) > len(node):
        raise _bad(change.argument, f"{dotted(done)} has {len(node)} item(s): use a number "
                   f"from 0 to {len(node) - 1}, or {len(node)} to add one")
    return int(segment)


def _descend(node: Any, key: str | int, following: str) -> Any:
    """The child at `key`, created (a mapping, or a list before a number) if missing."""
    child = _get(node, key)
    if child is None:
        child = [] if following.isdigit() else {}
        _assign(node, key, child)
    return child


def _get(node: Any, key: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(key)
    return node[key] if isinstance(key, int) and key < len(node) else None


def _assign(node: Any, key: str | int, value: Any) -> None:
    if isinstance(node, dict):
        if value is None:
            node.pop(key, None)
        else:
            node[key] = value
    elif key == len(node):
        if value is not None:
            node.append(value)
    elif value is None:
        del node[key]
    else:
        node[key] = value


def _blame(problem: Problem, applied: list[tuple[Change, Path]]) -> Problem:
    """Name the --set argument behind a validation problem, where one is."""
    for change, path in applied:
        if problem.path[:len(path)] == path or path[:len(problem.path)] == problem.path:
            return Problem(f"--set {change.argument}", None, problem.path, problem.message)
    return Problem(problem.file, problem.line, problem.path,
                   problem.message + " (with the --set changes applied)")


def _bad(argument: str, message: str) -> InputError:
    return InputError([Problem(f"--set {argument}", None, (), message)])


def _plain(value: Any) -> Any:
    """A changed value as JSON: dates in ISO form."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


# --- the difference -------------------------------------------------------------------------

def summary(result: Assessment) -> dict[str, Any]:
    """The parts of an assessment a what-if compares."""
    return {
        "offences": {o.offence: o.status for o in result.offences},
        "indicators": {name: v["status"] for name, v in result.indicators.items()},
        "escalation": result.escalation["level"],
        "recommended_charges": list(result.recommended),
        "findings": [f.rule for f in result.findings],
    }


def compare(before: Assessment, after: Assessment) -> dict[str, Any]:
    """What moved: offence and indicator statuses, findings, charges, escalation."""
    old, new = summary(before), summary(after)
    found_before = {f.rule: f for f in before.findings}
    found_after = {f.rule: f for f in after.findings}
    return {
        "offences": _moved(old["offences"], new["offences"], "offence"),
        "indicators": _moved(old["indicators"], new["indicators"], "indicator"),
        "findings_gained": [_brief(f) for r, f in found_after.items() if r not in found_before],
        "findings_lost": [_brief(f) for r, f in found_before.items() if r not in found_after],
        "recommended_charges": {"before": old["recommended_charges"],
                                "after": new["recommended_charges"]},
        "escalation": {"before": old["escalation"], "after": new["escalation"]},
    }


def _moved(old: dict[str, str], new: dict[str, str], kind: str) -> list[dict[str, Any]]:
    names = dict.fromkeys([*old, *new])  # an offence may be raised on one side only
    return [{kind: n, "before": old.get(n), "after": new.get(n)} for n in names
            if old.get(n) != new.get(n)]


def _brief(finding: Any) -> dict[str, str]:
    return {"rule": finding.rule, "severity": finding.severity, "title": finding.title}


def diff_lines(changes: list[Change], diff: dict[str, Any]) -> list[str]:
    """The difference in plain lines, for text, Markdown and HTML alike."""
    lines = ["WHAT IF: the case re-assessed with these changes (the file is unchanged)"]
    lines += [f"  --set {_safe(c.argument)}" for c in changes]
    moved = [(m["offence"], m) for m in diff["offences"]] + [
        (f"indicator {m['indicator']}", m) for m in diff["indicators"]]
    lines.append("Statuses that moved:" if moved else "No offence or indicator status moved.")
    lines += [f"  {name}: {m['before'] or 'not raised'} -> {m['after'] or 'not raised'}"
              for name, m in moved]
    for key, mark, label in (("findings_gained", "+", "Findings gained:"),
                             ("findings_lost", "-", "Findings lost:")):
        if diff[key]:
            lines.append(label)
            lines += [f"  {mark} {f['rule']} [{f['severity']}] {f['title']}" for f in diff[key]]
    for key, label in (("recommended_charges", "Recommended charges"),
                       ("escalation", "Escalation")):
        was, now = diff[key]["before"], diff[key]["after"]
        if isinstance(was, list):
            was, now = ", ".join(was) or "none", ", ".join(now) or "none"
        lines.append(f"{label}: {was} -> {now}" if was != now else f"{label}: {now} (unchanged)")
    return lines


def _with_diff(format_name: str, report: str, lines: list[str]) -> str:
    """The after-report with the difference in front, in the report's own format."""
    if format_name == "markdown":
        runs = [len(run) for run in re.findall("~+", "\n".join(lines))]
        fence = "~" * max([4, *(n + 1 for n in runs)])  # longer than any typed into --set
        section = f"## What if\n\n{fence}\n" + "\n".join(lines) + f"\n{fence}\n\n"
        title, _, rest = report.partition("\n")
        if title.startswith("# "):  # keep the report's own title on top
            return f"{title}\n\n{section}{rest.lstrip(chr(10))}"
        return section + report
    if format_name == "html":
        section = ("<section class=\"what-if\">\n<h2>What if</h2>\n<pre>"
                   + html.escape("\n".join(lines)) + "</pre>\n</section>\n")
        head, found, rest = report.partition("<body>\n")
        return head + found + section + rest if found else section + report
    return "\n".join(lines) + "\n\n" + report


def _safe(text: str) -> str:
    """Control characters typed into an argument are shown, never sent to the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), text)
