"""Why and why not (`assess --explain`): the reasoning behind each status, step by step.

For each victim this walks the rule set's own condition data (`RuleSet.sources`),
compiles every sub-condition with the same vocabulary and evaluates it against the
Context the engine judged, so the explanation is what the engine computed rather than a
second opinion. Only the steps that decide a result are kept: for `all` and `any`, the
children whose value is the parent's value (the false ones sink an `all`, the true ones
carry an `any`, the unknown ones leave it undecided).

The result is plain JSON-ready data; the text report draws it with `explanation_lines`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from chargecheck.case.model import Incident
from chargecheck.conditions.compiler import Vocabulary, compile_condition
from chargecheck.conditions.describe import describe
from chargecheck.conditions.facts import Context
from chargecheck.engine.assessment import SEVERITIES
from chargecheck.rulebook.ruleset import CHECKS_DIR, RuleSet, vocabulary

Step = dict[str, Any]
STATUS = {True: "met", False: "not-met", None: "unknown"}
# What an incident filter reads from the incident, to say which fact left it unknown.
INCIDENT_FIELDS = {"fear_of_violence": "caused_fear_of_violence", "channel": "channel",
                   "hostility": "hostility"}
ANCHOR_FACTS = {"made-clear-unwanted": "victim.made_clear_unwanted_on",
                "separation": "suspect.separated_on"}
NOT_RECORDED = "not_recorded"


def explain_contexts(contexts: list[Context], rules: RuleSet) -> tuple[dict[str, Any], ...]:
    """One explanation per victim, from the Contexts the engine left behind."""
    explainer = _Explainer(rules)
    return tuple(explainer.victim(ctx) for ctx in contexts)


class _Explainer:
    """Holds the rule set's raw data by id, so each step can find its source and law."""

    def __init__(self, rules: RuleSet) -> None:
        raw = rules.sources
        self.rules = rules
        self.vocab: Vocabulary = vocabulary(raw)
        self.tests = {t["id"]: t for t in raw["offences.yaml"]["tests"]}
        self.offences = {o["id"]: o for o in raw["offences.yaml"]["offences"]}
        self.indicators = {i["id"]: i for i in raw["indicators.yaml"]["indicators"]}
        self.checks = {r["id"]: r for key, data in raw.items()
                       if key.startswith(CHECKS_DIR + "/") for r in data["rules"]}

    def victim(self, ctx: Context) -> dict[str, Any]:
        return {
            "victim": ctx.victim.shown_as,
            "indicators": [self.indicator(ctx, i.id) for i in self.rules.indicators],
            "offences": [self.offence(ctx, o.id) for o in self.rules.offences
                         if o.id in ctx.offences],
            "not_raised": [self.not_raised(o.id) for o in self.rules.offences
                           if o.id not in ctx.offences],
            "near_misses": self.near_misses(ctx),
        }

    # --- indicators and offences ------------------------------------------------------
    def indicator(self, ctx: Context, ident: str) -> dict[str, Any]:
        data = self.indicators[ident]
        return {"indicator": ident, "title": data["title"],
                "status": ctx.indicators[ident]["status"],  # as the engine recorded it
                "citations": list(data["citations"]), "because": [self.step(data["when"], ctx)]}

    def offence(self, ctx: Context, ident: str) -> dict[str, Any]:
        data, judged = self.offences[ident], ctx.offences[ident]
        elements = [self.element(ctx, e) for e in data["elements"]]
        return {"offence": ident, "title": data["title"], "citation": data["citation"],
                "status": judged["status"], "in_force": judged["in_force"],
                "in_time": judged["in_time"], "notes": self.offence_notes(data, judged),
                "elements": elements}

    def element(self, ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
        step = self.step(data["when"], ctx)
        out = {"element": data["id"], "text": data["text"], "status": step["status"],
               "citations": list(data["citations"]), "because": [step]}
        if step["status"] != "met":
            out["obtain"] = data["obtain"]
        return out

    def offence_notes(self, data: Mapping[str, Any], judged: Mapping[str, Any]
                      ) -> list[dict[str, Any]]:
        """Why an offence whose elements may be met is still not supported: dates."""
        notes = []
        if not judged["in_force"]:
            notes.append({"note": f"not in force on the dates of the conduct (in force from "
                                  f"{data['commencement']})",
                          "citations": list(data.get("commencement_citations", []))})
        if judged["in_time"] is not True and data.get("time_limit"):
            limit = data["time_limit"]
            text = ("out of time: the last incident is more than "
                    f"{limit.get('months')} months before the decision date"
                    if judged["in_time"] is False else
                    "a special time limit applies: check it by hand")
            notes.append({"note": text, "citations": list(limit.get("citations", []))})
        return notes

    def not_raised(self, ident: str) -> dict[str, Any]:
        data = self.offences[ident]
        raised = data.get("raised_when")
        return {"offence": ident, "title": data["title"], "citation": data["citation"],
                "raised_if": inline(raised) if raised else "charged or in a plea"}

    # --- near misses --------------------------------------------------------------------
    def near_misses(self, ctx: Context) -> list[dict[str, Any]]:
        """Rules one condition short, those waiting on an unknown fact first, then by severity."""
        found = list(self._near_misses(ctx))
        return sorted(found, key=lambda m: (m["now"] != "unknown",
                                             -SEVERITIES.index(m["severity"]), m["rule"]))

    def _near_misses(self, ctx: Context) -> Iterator[dict[str, Any]]:
        """Rules that did not fire but were one condition of a top-level `all` short."""
        for rule in self.rules.rules:
            data = self.checks.get(rule.id)
            in_force = rule.starts <= ctx.decision_date and (
                rule.ends is None or ctx.decision_date < rule.ends)
            if data is None or "all" not in data["when"] or not in_force:
                continue
            if rule.test(ctx)[0] is True:
                continue
            short = [c for c in data["when"]["all"] if self.value(c, ctx) is not True]
            if len(short) == 1:
                step = self.step(short[0], ctx)
                yield {"rule": rule.id, "title": rule.title, "severity": rule.severity,
                       "citations": list(rule.citations), "would_apply_if": inline(short[0]),
                       "now": step["status"], "because": [step]}

    # --- one condition, step by step --------------------------------------------------------
    def value(self, cond: Any, ctx: Context) -> bool | None:
        return compile_condition(cond, (), self.vocab)(ctx)[0]

    def step(self, cond: Mapping[str, Any], ctx: Context) -> Step:
        value, ids = compile_condition(cond, (), self.vocab)(ctx)
        out: Step = {"condition": _heading(cond), "status": STATUS[value]}
        if ids:
            out["incidents"] = sorted(ids)
        for key in ("all", "any"):
            if key in cond:
                children = [self.step(c, ctx) for c in cond[key]]
                out["because"] = [c for c in children if c["status"] == out["status"]]
        for key in ("not", "unless"):
            if key in cond:
                out["because"] = [self.step(cond[key], ctx)]
        if "test" in cond:
            test = self.tests[cond["test"]]
            out.update(condition=f"legal test '{test['id']}': {test['text']}",
                       citations=list(test["citations"]),
                       because=[self.step(test["when"], ctx)])
        out.update(self.leaf_facts(cond, ctx))
        return out

    def leaf_facts(self, cond: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
        """The facts a leaf read, by name and value, so a reader can check them."""
        if "fact" in cond and cond["fact"] != NOT_RECORDED:
            return {"facts": {cond["fact"]: show(ctx.facts[cond["fact"]], cond["fact"])}}
        if "incidents" in cond:
            return _incident_detail(cond["incidents"], ctx, self.vocab)
        if "offence" in cond or "indicator" in cond:
            table, name = ("offences", cond["offence"]) if "offence" in cond else (
                "indicators", cond["indicator"])
            entry = getattr(ctx, table).get(name)
            shown = "not raised" if entry is None else entry["status"]
            return {"facts": {f"{table[:-1]} {name}": shown}}
        if "charged" in cond or "any_charge" in cond:
            return {"facts": {"charged": ", ".join(ctx.charges()) or "nothing"}}
        if "plea_to" in cond or "plea_drops" in cond:
            plea = ctx.case.plea
            return {"facts": {"plea.offence": plea.offence if plea else "no plea",
                              "plea.in_place_of": ", ".join(plea.in_place_of) if plea
                              else "no plea"}}
        return {}


def _incident_detail(spec: Mapping[str, Any], ctx: Context, vocab: Vocabulary
                     ) -> dict[str, Any]:
    """Which incidents match, which might (a fact on them is not recorded), and the count.

    Each incident is judged alone by the same compiled filter, on a copy of the Context
    holding just that incident (filters read only the incident and the case).
    """
    filters = {k: v for k, v in spec.items() if k != "at_least"}
    matcher = compile_condition({"incidents": {**filters, "at_least": 1}}, (), vocab)
    known: list[Incident] = []
    maybe: list[Incident] = []
    facts: dict[str, str] = {}
    for incident in ctx.incidents:
        verdict = matcher(_alone(ctx, incident))[0]
        if verdict is True:
            known.append(incident)
        elif verdict is None:
            maybe.append(incident)
            facts.update(_unknown_fields(filters, incident))
    for key in ("after", "not_after"):
        if key in filters:
            facts.update(_anchor_fact(filters[key], ctx))
    lo = sum(i.occasions for i in known)
    hi = lo + sum(i.occasions for i in maybe)
    out: dict[str, Any] = {"occasions": show((lo, hi)), "needed": spec.get("at_least", 1)}
    if maybe:
        out["possibly"] = [i.id for i in maybe]
    if facts:
        out["facts"] = facts
    return out


def _alone(ctx: Context, incident: Incident) -> Context:
    # A fresh Context, not a copy: the engine's Context caches incident sets per filter.
    return Context(ctx.case, ctx.victim, ctx.decision_date, ctx.behaviours, [incident])


def _unknown_fields(filters: Mapping[str, Any], incident: Incident) -> dict[str, str]:
    out = {}
    for key, field in INCIDENT_FIELDS.items():
        if key in filters and getattr(incident, field) is None:
            out[f"incidents.{incident.id}.{field}"] = "not recorded"
    return out


def _anchor_fact(anchor: str, ctx: Context) -> dict[str, str]:
    if anchor in ANCHOR_FACTS:
        name = ANCHOR_FACTS[anchor]
        return {name: show(ctx.facts[name], name)}
    return {"first warning (suspect.history)": show(ctx.after(anchor), "history")}


def show(value: Any, name: str = "") -> str:
    """A fact's value as a reader would say it; unknown stays visibly unknown."""
    if value is None:
        return "not known" if name.startswith("course.") else "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        lo, hi = value
        return str(lo) if lo == hi else f"{lo} to {hi}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) or "none"
    return str(value)


def _heading(cond: Mapping[str, Any]) -> str:
    if "all" in cond:
        return "all of these"
    if "any" in cond:
        return "any of these"
    if "not" in cond:
        return "not the following"
    if "unless" in cond:
        return "unless it is known that"
    return _leaf(cond)


def _leaf(cond: Mapping[str, Any]) -> str:
    if cond.get("fact") == NOT_RECORDED:
        return "a matter the case file cannot record (to be obtained from the evidence)"
    return describe(cond)[0]


def inline(cond: Mapping[str, Any]) -> str:
    """A whole condition on one line, for "would apply if ..."."""
    for key, joiner in (("all", " and "), ("any", " or ")):
        if key in cond:
            parts = [inline(c) for c in cond[key]]
            return parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"
    if "not" in cond:
        return f"not ({inline(cond['not'])})"
    if "unless" in cond:
        return f"it is not known that {inline(cond['unless'])}"
    return _leaf(cond)


# --- text -----------------------------------------------------------------------------------

Line = tuple[str, str]  # text and a rich style name ("" for none)
SHOWN = {"met": "met", "not-met": "NOT MET", "unknown": "unknown",
         "supported": "supported", "not-supported": "NOT SUPPORTED"}
STYLE = {"met": "green", "supported": "green", "unknown": "yellow", "not-met": "",
         "not-supported": ""}


def explanation_lines(explanation: tuple[dict[str, Any], ...]) -> list[Line]:
    """The explanation as indented lines for the text report (no markup; plain text)."""
    lines: list[Line] = [("WHY AND WHY NOT (--explain)", "bold")]
    for victim in explanation:
        lines.append((f"Victim {victim['victim']}", "bold"))
        lines.append(("  FOUR indicators (a screening aid, not a legal test)", "bold"))
        for item in victim["indicators"]:
            lines += _headed(f"    {item['indicator']}", item, 6)
        for offence in victim["offences"]:
            lines += _offence_lines(offence)
        for offence in victim["not_raised"]:
            lines.append((f"  Not raised: {offence['offence']} {offence['title']} "
                          f"(would be if {offence['raised_if']})", "dim"))
        if victim["near_misses"]:
            lines.append(("  Near misses: rules one condition short of applying", "bold"))
        lines += _near_miss_lines(victim["near_misses"])
    return lines


def _near_miss_lines(misses: list[dict[str, Any]]) -> list[Line]:
    """Near misses grouped by the condition they lack: many plea rules, say, wait only
    on a plea being offered, and one heading says so once."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for miss in misses:
        groups.setdefault((miss["would_apply_if"], miss["now"]), []).append(miss)
    lines: list[Line] = []
    for (condition, now), group in groups.items():
        shown_now = "not known yet" if now == "unknown" else "not so on this file"
        lines.append((f"    would apply if {condition} (now: {shown_now}):", "yellow"))
        for miss in group:
            lines.append((f"      {miss['rule']} {miss['title']} [{miss['severity']}]", ""))
            lines.append(("        Law: " + "; ".join(miss["citations"]), "dim"))
            lines += [ln for s in miss["because"] for ln in _step_lines(s, 10)]
    return lines


def _offence_lines(offence: dict[str, Any]) -> list[Line]:
    status = offence["status"]
    lines: list[Line] = [(f"  Offence {offence['offence']} {offence['title']} "
                          f"({offence['citation']}): {SHOWN[status]}", "bold")]
    for note in offence["notes"]:
        lines.append((f"    {note['note']}", "red"))
        lines.append(("      Law: " + "; ".join(note["citations"]), "dim"))
    for element in offence["elements"]:
        lines += _headed(f"    element {element['element']}: {element['text']}", element, 6)
        if "obtain" in element:
            lines.append((f"      Obtain: {element['obtain']}", "yellow"))
    return lines


def _headed(title: str, item: dict[str, Any], depth: int) -> list[Line]:
    lines: list[Line] = [(f"{title}: {SHOWN[item['status']]}", STYLE[item["status"]]),
                         (" " * depth + "Law: " + "; ".join(item["citations"]), "dim")]
    return lines + [ln for s in item["because"] for ln in _step_lines(s, depth)]


def _step_lines(step: Step, depth: int) -> list[Line]:
    pad = " " * depth
    text = f"{pad}{step['condition']}: {SHOWN[step['status']]}"
    if "incidents" in step:
        text += f" (incidents {', '.join(step['incidents'])})"
    if "occasions" in step:
        text += f"; occasions {step['occasions']}, needs {step['needed']}"
    if step.get("possibly"):
        text += f"; not known for {', '.join(step['possibly'])}"
    lines: list[Line] = [(text, STYLE[step["status"]])]
    if "citations" in step:
        lines.append((f"{pad}  Law: " + "; ".join(step["citations"]), "dim"))
    for name, value in step.get("facts", {}).items():
        lines.append((f"{pad}  {name} = {value}", "cyan"))
    for child in step.get("because", []):
        lines += _step_lines(child, depth + 2)
    return lines
