"""The `--explain` reasoning (engine/reasoning.py) as indented lines of text.

The text report prints them with their styles; the Markdown and HTML reports show them
plain, in a block of their own. The lines hold case text as it is: each report escapes
them for its own output.
"""

from __future__ import annotations

from typing import Any

Step = dict[str, Any]

Line = tuple[str, str]  # text and a rich style name ("" for none)
NOT_RECORDED = "not recorded"
HYPOTHETICAL = " (hypothetical)"
SHOWN = {"met": "met", "not-met": "NOT MET", "unknown": "unknown",
         "supported": "supported", "not-supported": "NOT SUPPORTED"}
STYLE = {"met": "green", "supported": "green", "unknown": "yellow", "not-met": "",
         "not-supported": ""}


def heading(title: str, only: tuple[str, ...]) -> str:
    """`WHY AND WHY NOT (--explain)`, or `(--explain pha-s4a)` when narrowed."""
    return f"{title} (--explain{''.join(' ' + i for i in only)})"


def explanation_lines(explanation: tuple[dict[str, Any], ...], only: tuple[str, ...] = ()
                      ) -> list[Line]:
    """The explanation as indented lines for the text report (no markup; plain text)."""
    lines: list[Line] = [(heading("WHY AND WHY NOT", only), "bold")]
    for victim in explanation:
        lines.append((f"Victim {victim['victim']}", "bold"))
        if victim["indicators"]:
            lines.append(("  FOUR indicators (a screening aid, not a legal test)", "bold"))
        for item in victim["indicators"]:
            lines += _headed(f"    {item['indicator']}", item, 6)
        for offence in victim["offences"]:
            lines += _offence_lines(offence)
        for offence in victim["not_raised"]:
            lines.append((f"  Not raised: {offence['offence']} {offence['title']} "
                          f"(would be if {offence['raised_if']})", "dim"))
        for rule in victim.get("rules", []):
            lines += _rule_lines(rule)
        if victim["near_misses"]:
            lines.append(("  Near misses: one fact otherwise, and the advice would change",
                          "bold"))
        lines += [line for miss in victim["near_misses"] for line in near_miss_lines(miss)]
    return lines


RULE_STATUS = {"fired": "fires", "not-fired": "does not fire",
               "not-assessed": "not assessed (it turns on facts the file does not record)",
               "not-in-force": "not in force on the decision date"}


RULE_STYLE = {"fired": "bold green", "not-assessed": "bold yellow"}


def _rule_lines(rule: dict[str, Any]) -> list[Line]:
    """A rule the explanation was narrowed to: whether it fires, its law, its steps."""
    lines: list[Line] = [(f"  Rule {rule['rule']} {rule['title']} [{rule['severity']}]: "
                          f"{RULE_STATUS[rule['status']]}", RULE_STYLE.get(rule["status"], "bold")),
                         ("    Law: " + "; ".join(rule["citations"]), "dim")]
    return lines + [ln for s in rule.get("because", []) for ln in _step_lines(s, 4)]


def near_miss_lines(miss: dict[str, Any]) -> list[Line]:
    """One fact that would change the advice, in words, and what it would change: the
    rules that would apply and the offences that would be supported."""
    said = miss["if"][0].upper() + miss["if"][1:]
    now = "" if miss["now"] == NOT_RECORDED else f" (recorded: {miss['now']})"
    if miss.get("hypothetical"):
        now = f" (now {miss['now']}, hypothetical)"
    lines: list[Line] = [(f"    {said}{now}:", "yellow")]
    for rule in miss["rules"]:
        lines.append((f"      {rule['rule']} {rule['title']} [{rule['severity']}] would "
                      "apply", ""))
        lines.append(("        Law: " + "; ".join(rule["citations"]), "dim"))
    for offence in miss["offences"]:
        lines.append((f"      {offence['title']}, {offence['citation']} ({offence['offence']}) "
                      f"would be supported (now {offence['now']})", ""))
    lines.append((f"      To see it: --set {miss['set']}", "dim"))
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
    supposed = step.get("hypothetical", ())
    for name, value in step.get("facts", {}).items():
        lines.append((f"{pad}  {name} = {value}{HYPOTHETICAL if name in supposed else ''}",
                      "cyan"))
    for child in step.get("because", []):
        lines += _step_lines(child, depth + 2)
    return lines


# --- the law, element by element: the reasoning a lawyer reads first ----------------------

IN_WORDS = {"met": "Shown", "not-met": "NOT SHOWN", "unknown": "Not known"}
OFFENCE_WORDS = {"supported": "supported by the evidence",
                 "unknown": "turns on facts not yet known", "not-supported": "NOT SUPPORTED"}


def law_lines(explanation: tuple[dict[str, Any], ...], charged: set[str],
              recommended: set[str], only: tuple[str, ...] = ()) -> list[Line]:
    """Each offence that matters (charged, recommended or still open; when narrowed, each
    offence asked for), element by element: shown, not shown or not known, with the law
    and the incidents, and for an element not known what to ask for. The full reasoning
    (`explanation_lines`) follows it. Empty when narrowed to rules alone."""
    if only and not any(v["offences"] or v["not_raised"] for v in explanation):
        return []
    lines: list[Line] = [(heading("THE LAW, ELEMENT BY ELEMENT", only), "bold")]
    for victim in explanation:
        if len(explanation) > 1:
            lines.append((f"Victim {victim['victim']}", "bold"))
        lines += [(f"  {o['title']}, {o['citation']}: not raised on this file (it would be "
                   f"if {o['raised_if']})", "dim") for o in victim["not_raised"] if only]
        for offence in victim["offences"]:
            ident = offence["offence"]
            roles = [role for role, ids in (("charged", charged), ("recommended", recommended))
                     if ident in ids]
            if not roles and offence["status"] != "unknown" and not only:
                continue  # settled either way, and neither charged nor advised
            role = f" ({' and '.join(roles)})" if roles else ""
            lines.append((f"  {offence['title']}, {offence['citation']}: "
                          f"{OFFENCE_WORDS[offence['status']]}{role}", "bold"))
            lines += [(f"    {note['note']} ({'; '.join(note['citations'])})", "red")
                      for note in offence["notes"]]
            lines += [line for element in offence["elements"] for line in _element(element)]
    return lines


def _element(element: dict[str, Any]) -> list[Line]:
    status = element["status"]
    incidents = sorted({i for step in element["because"] for i in step.get("incidents", [])})
    on = f"; incidents {', '.join(incidents)}" if incidents and status == "met" else ""
    lines: list[Line] = [(f"    {IN_WORDS[status]}: {element['text']} "
                          f"({'; '.join(element['citations'])}){on}", STYLE[status])]
    if "obtain" in element:
        lines.append((f"      Ask for: {element['obtain']}", "yellow"))
    return lines
