"""Why and why not (`assess --explain`): the reasoning behind each status, step by step.

For each victim this walks the rule set's own condition data (`RuleSet.sources`),
compiles every sub-condition with the same vocabulary and evaluates it against the
Context the engine judged, so the explanation is what the engine computed rather than a
second opinion. Only the steps that decide a result are kept: for `all` and `any`, the
children whose value is the parent's value (the false ones sink an `all`, the true ones
carry an `any`, the unknown ones leave it undecided).

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
from chargecheck.conditions.compiler import Vocabulary, compile_condition
from chargecheck.conditions.describe import describe
from chargecheck.conditions.facts import Context, JudgedOffence
from chargecheck.engine.assessment import Assessment
from chargecheck.engine.near_misses import near_misses
from chargecheck.rulebook.directory import CHECKS_DIR
from chargecheck.rulebook.ruleset import RuleSet, vocabulary

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

    def victim(self, ctx: Context, misses: list[dict[str, Any]], only: frozenset[str]
               ) -> dict[str, Any]:
        """The victim's explanation; narrowed to the offences and rules in `only` if any."""
        def wanted(ident: str) -> bool:
            return not only or ident in only

        out = {
            "victim": ctx.victim.shown_as,
            "indicators": [] if only else [self.indicator(ctx, i.id)
                                           for i in self.rules.indicators],
            "offences": [self.offence(ctx, o.id) for o in self.rules.offences
                         if o.id in ctx.offences and wanted(o.id)],
            "not_raised": [self.not_raised(o.id) for o in self.rules.offences
                           if o.id not in ctx.offences and wanted(o.id)],
            "near_misses": narrowed(misses, only) if only else misses,
        }
        rules = [r.id for r in self.rules.rules if r.id in only]
        return out | ({"rules": [self.rule(ctx, r) for r in rules]} if rules else {})

    # --- indicators and offences ------------------------------------------------------
    def indicator(self, ctx: Context, ident: str) -> dict[str, Any]:
        data = self.indicators[ident]
        return {"indicator": ident, "title": data["title"],
                "status": ctx.indicators[ident].status,  # as the engine recorded it
                "citations": list(data["citations"]), "because": [self.step(data["when"], ctx)]}

    def offence(self, ctx: Context, ident: str) -> dict[str, Any]:
        data, judged = self.offences[ident], ctx.offences[ident]
        elements = [self.element(ctx, e) for e in data["elements"]]
        return {"offence": ident, "title": data["title"], "citation": data["citation"],
                "status": judged.status, "in_force": judged.in_force,
                "in_time": judged.in_time, "notes": self.offence_notes(data, judged),
                "elements": elements}

    def element(self, ctx: Context, data: Mapping[str, Any]) -> dict[str, Any]:
        step = self.step(data["when"], ctx)
        out = {"element": data["id"], "text": data["text"], "status": step["status"],
               "citations": list(data["citations"]), "because": [step]}
        if step["status"] != "met":
            out["obtain"] = data["obtain"]
        return out

    def offence_notes(self, data: Mapping[str, Any], judged: JudgedOffence
                      ) -> list[dict[str, Any]]:
        """Why an offence whose elements may be met is still not supported: dates."""
        notes = []
        if not judged.in_force:
            notes.append({"note": f"not in force on the dates of the conduct (in force from "
                                  f"{data['commencement']})",
                          "citations": list(data.get("commencement_citations", []))})
        if judged.in_time is not True and data.get("time_limit"):
            limit = data["time_limit"]
            text = ("out of time: the last incident is more than "
                    f"{limit.get('months')} months before the decision date"
                    if judged.in_time is False else
                    "a special time limit applies: check it by hand")
            notes.append({"note": text, "citations": list(limit.get("citations", []))})
        return notes

    def not_raised(self, ident: str) -> dict[str, Any]:
        data = self.offences[ident]
        raised = data.get("raised_when")
        return {"offence": ident, "title": data["title"], "citation": data["citation"],
                "raised_if": inline(raised) if raised else "charged or in a plea"}

    # --- one rule, when the explanation is narrowed to it ----------------------------------
    def rule(self, ctx: Context, ident: str) -> dict[str, Any]:
        """Whether the rule fired for this victim, and the steps of its condition."""
        rule = next(r for r in self.rules.rules if r.id == ident)
        in_force = rule.starts <= ctx.decision_date and (
            rule.ends is None or ctx.decision_date < rule.ends)
        value = rule.test(ctx)[0] if in_force else None
        status = ("not-in-force" if not in_force else "fired" if value else
                  "not-assessed" if value is None else "not-fired")
        out: dict[str, Any] = {"rule": ident, "title": rule.title, "severity": rule.severity,
               "category": rule.category, "citations": list(rule.citations),
               "status": status}
        data = self.checks.get(ident)
        if data is not None and in_force:
            out["because"] = [self.step(data["when"], ctx)]
        return out

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
            entry = (ctx.offences if "offence" in cond else ctx.indicators).get(name)
            shown = "not raised" if entry is None else entry.status
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
