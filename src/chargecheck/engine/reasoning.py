"""Why and why not (`assess --explain`): the reasoning behind each status, step by step.

For each victim this walks the rule set's condition trees (the ones the engine's tests
were compiled from), compiles every sub-condition and evaluates it against the Context
the engine judged, so the explanation is what the engine computed rather than a second
opinion. It names what the rule set declares (offences, indicators, markers, legal
tests) in words, as a prosecutor reads them, not by the ids rule authors write. Only
the steps that decide a result are kept: for `all` and `any`, the children whose value
is the parent's value (the false ones sink an `all`, the true ones carry an `any`, the
unknown ones leave it undecided).

Near misses (one fact away from other advice) are found by judging the case again with
that fact changed (engine/near_misses.py). The result is plain JSON-ready data; the
reports draw it (reports/explanation_text.py). `assess` leaves the Contexts in its
result, and whoever wants the explanation asks for it (`explained`), so judging a case
never pays for explaining it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from chargecheck.case.model import Incident
from chargecheck.conditions.compiler import compile_tree
from chargecheck.conditions.describe import Names, leaf
from chargecheck.conditions.facts import Context, JudgedOffence
from chargecheck.conditions.tree import (
    AllOf,
    AnyCharge,
    AnyOf,
    Charged,
    Condition,
    FactTest,
    Incidents,
    NamedTest,
    Not,
    Plea,
    Status,
    Unless,
)
from chargecheck.engine.assessment import Assessment
from chargecheck.engine.near_misses import near_misses
from chargecheck.rulebook.ruleset import ElementDef, Judged, OffenceDef, RuleDef, RuleSet

Step = dict[str, Any]
STATUS = {True: "met", False: "not-met", None: "unknown"}
# What an incident filter reads from the incident, to say which fact left it unknown.
INCIDENT_FIELDS = {"fear_of_violence": "caused_fear_of_violence", "channel": "channel",
                   "hostility": "hostility"}
ANCHOR_FACTS = {"made-clear-unwanted": "victim.made_clear_unwanted_on",
                "separation": "suspect.separated_on"}
NOT_RECORDED = "not_recorded"


def explained(result: Assessment, rules: RuleSet, only: Sequence[str] = ()) -> Assessment:
    """`result` with its explanation (`--explain`), from the Contexts `assess` left in it;
    with `only` (offence and rule ids, as the rule set spells them), narrowed to them."""
    explainer, wanted = _Explainer(rules), frozenset(only)
    misses = near_misses(result, rules)
    explanation = tuple(explainer.victim(ctx, misses.get(ctx.victim.shown_as, []), wanted)
                        for ctx in result.contexts)
    return result._replace(explanation=explanation, explained_only=tuple(only))


def narrowed(misses: list[dict[str, Any]], only: frozenset[str]) -> list[dict[str, Any]]:
    """The near misses that bring one of `only`, each listing just those."""
    kept = []
    for miss in misses:
        rules = [r for r in miss["rules"] if r["rule"] in only]
        offences = [o for o in miss["offences"] if o["offence"] in only]
        if rules or offences:
            kept.append(miss | {"rules": rules, "offences": offences})
    return kept


class _Explainer:
    """Walks the rule set's condition trees against one victim's Context, naming what the
    rule set declares in words (`describe.Names`)."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.names = rules.names

    def victim(self, ctx: Context, misses: list[dict[str, Any]], only: frozenset[str]
               ) -> dict[str, Any]:
        """The victim's explanation; narrowed to the offences and rules in `only` if any."""
        def wanted(ident: str) -> bool:
            return not only or ident in only

        out = {
            "victim": ctx.victim.shown_as,
            "indicators": [] if only else [self.indicator(ctx, i)
                                           for i in self.rules.indicators],
            "offences": [self.offence(ctx, o) for o in self.rules.offences
                         if o.id in ctx.offences and wanted(o.id)],
            "not_raised": [self.not_raised(o) for o in self.rules.offences
                           if o.id not in ctx.offences and wanted(o.id)],
            "near_misses": narrowed(misses, only) if only else misses,
        }
        rules = [r for r in self.rules.rules if r.id in only]
        return out | ({"rules": [self.rule(ctx, r) for r in rules]} if rules else {})

    # --- indicators and offences ------------------------------------------------------
    def indicator(self, ctx: Context, indicator: Judged) -> dict[str, Any]:
        return {"indicator": indicator.id, "title": indicator.title,
                "status": ctx.indicators[indicator.id].status,  # as the engine recorded it
                "citations": list(indicator.citations),
                "because": [self.step(indicator.when, ctx)]}

    def offence(self, ctx: Context, offence: OffenceDef) -> dict[str, Any]:
        judged = ctx.offences[offence.id]
        return {"offence": offence.id, "title": offence.title, "citation": offence.citation,
                "status": judged.status, "in_force": judged.in_force,
                "in_time": judged.in_time, "notes": offence_notes(offence, judged),
                "elements": [self.element(ctx, e) for e in offence.elements]}

    def element(self, ctx: Context, element: ElementDef) -> dict[str, Any]:
        step = self.step(element.when, ctx)
        out = {"element": element.id, "text": element.text, "status": step["status"],
               "citations": list(element.citations), "because": [step]}
        if step["status"] != "met":
            out["obtain"] = element.obtain
        return out

    def not_raised(self, offence: OffenceDef) -> dict[str, Any]:
        raised = offence.raised_when
        return {"offence": offence.id, "title": offence.title, "citation": offence.citation,
                "raised_if": ("charged or in a plea" if raised is None
                              else inline(raised, self.names))}

    # --- one rule, when the explanation is narrowed to it ----------------------------------
    def rule(self, ctx: Context, rule: RuleDef) -> dict[str, Any]:
        """Whether the rule fired for this victim, and the steps of its condition."""
        in_force = rule.starts <= ctx.decision_date and (
            rule.ends is None or ctx.decision_date < rule.ends)
        value = rule.test(ctx)[0] if in_force else None
        status = ("not-in-force" if not in_force else "fired" if value else
                  "not-assessed" if value is None else "not-fired")
        out: dict[str, Any] = {"rule": rule.id, "title": rule.title, "severity": rule.severity,
                               "category": rule.category, "citations": list(rule.citations),
                               "status": status}
        if in_force:
            out["because"] = [self.step(rule.when, ctx)]
        return out

    # --- one condition, step by step --------------------------------------------------------
    def step(self, node: Condition, ctx: Context) -> Step:
        """The node's value for this victim, what it rests on and, below it, the steps
        that decided it."""
        value, ids = compile_tree(node)(ctx)
        out: Step = {"condition": self.heading(node), "status": STATUS[value]}
        if ids:
            out["incidents"] = sorted(ids)
        if isinstance(node, AllOf | AnyOf):
            children = [self.step(part, ctx) for part in node.parts]
            out["because"] = [c for c in children if c["status"] == out["status"]]
        elif isinstance(node, Not | Unless):
            out["because"] = [self.step(node.inner, ctx)]
        elif isinstance(node, NamedTest):
            test = self.rules.legal_tests[node.name]
            out.update(condition=f"legal test: {test.text}", citations=list(test.citations),
                       because=[self.step(test.when, ctx)])
        out.update(self.leaf_facts(node, ctx))
        return out

    def heading(self, node: Condition) -> str:
        return _HEADINGS.get(type(node)) or leaf(node, self.names)

    def leaf_facts(self, node: Condition, ctx: Context) -> dict[str, Any]:
        """The facts a leaf read, by name and value, so a reader can check them."""
        if isinstance(node, FactTest) and node.fact != NOT_RECORDED:
            return {"facts": {node.fact: show(ctx.facts[node.fact], node.fact)}}
        if isinstance(node, Incidents):
            return _incident_detail(node, ctx)
        if isinstance(node, Status):
            entry = (ctx.offences if node.subject == "offence" else ctx.indicators
                     ).get(node.name)
            shown = "not raised" if entry is None else entry.status.replace("-", " ")
            return {"facts": {_leaf_subject(node, self.names): shown}}
        if isinstance(node, Charged | AnyCharge):
            return {"facts": {"charged": self.offences(ctx.charges()) or "nothing"}}
        if isinstance(node, Plea):
            plea = ctx.case.plea
            return {"facts": {"plea.offence": self.offences([plea.offence]) if plea
                              else "no plea",
                              "plea.in_place_of": self.offences(plea.in_place_of) if plea
                              else "no plea"}}
        return {}

    def offences(self, ids: Sequence[str]) -> str:
        return ", ".join(self.names.offences.get(i, i) for i in ids)


def offence_notes(offence: OffenceDef, judged: JudgedOffence) -> list[dict[str, Any]]:
    """Why an offence whose elements may be met is still not supported: dates."""
    notes = []
    if not judged.in_force:
        notes.append({"note": f"not in force on the dates of the conduct (in force from "
                              f"{offence.commencement})",
                      "citations": list(offence.commencement_citations)})
    if judged.in_time is not True and offence.time_limit_kind is not None:
        text = ("out of time: the last incident is more than "
                f"{offence.time_limit_months} months before the decision date"
                if judged.in_time is False else
                "a special time limit applies: check it by hand")
        notes.append({"note": text, "citations": list(offence.time_limit_citations)})
    return notes


def _incident_detail(node: Incidents, ctx: Context) -> dict[str, Any]:
    """Which incidents match, which might (a fact on them is not recorded), and the count.

    Each incident is judged alone by the same filters, on a fresh Context holding just
    that incident (filters read only the incident and the case).
    """
    matcher = compile_tree(Incidents(node.filters, 1, node.path))
    filters = dict(node.filters)
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
            facts.update(_anchor_fact(str(filters[key]), ctx))
    lo = sum(i.occasions for i in known)
    hi = lo + sum(i.occasions for i in maybe)
    out: dict[str, Any] = {"occasions": show((lo, hi)), "needed": node.at_least}
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


_HEADINGS: dict[type, str] = {AllOf: "all of these", AnyOf: "any of these",
                              Not: "not the following", Unless: "unless it is known that"}


def _leaf_subject(node: Status, names: Names) -> str:
    """What a status step names: the offence, or the indicator, in words."""
    if node.subject == "offence":
        return names.offences.get(node.name, node.name)
    return f"the {names.indicators.get(node.name, node.name)} indicator"


def inline(node: Condition, names: Names) -> str:
    """A whole condition on one line, for "would apply if ..."."""
    if isinstance(node, AllOf | AnyOf):
        parts = [inline(part, names) for part in node.parts]
        joiner = " and " if isinstance(node, AllOf) else " or "
        return parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"
    if isinstance(node, Not):
        return f"not ({inline(node.inner, names)})"
    if isinstance(node, Unless):
        return f"it is not known that {inline(node.inner, names)}"
    return leaf(node, names)
