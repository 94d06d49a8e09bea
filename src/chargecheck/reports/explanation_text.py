"""The `--explain` reasoning (engine/reasoning.py) as indented lines of text.

The text report prints them with their styles; the Markdown and HTML reports show them
plain, in a block of their own. The lines hold case text as it is: each report escapes
them for its own output.
"""

from __future__ import annotations

from typing import Any

Step = dict[str, Any]

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


# --- the law, element by element: the reasoning a lawyer reads first ----------------------

IN_WORDS = {"met": "Shown", "not-met": "NOT SHOWN", "unknown": "Not known"}
OFFENCE_WORDS = {"supported": "supported by the evidence",
                 "unknown": "turns on facts not yet known", "not-supported": "NOT SUPPORTED"}


def law_lines(explanation: tuple[dict[str, Any], ...], charged: set[str],
              recommended: set[str]) -> list[Line]:
    """Each offence that matters (charged, recommended or still open), element by element:
    shown, not shown or not known, with the law and the incidents, and for an element not
    known what to ask for. The full reasoning (`explanation_lines`) follows it."""
    lines: list[Line] = [("THE LAW, ELEMENT BY ELEMENT (--explain)", "bold")]
    for victim in explanation:
        if len(explanation) > 1:
            lines.append((f"Victim {victim['victim']}", "bold"))
        for offence in victim["offences"]:
            ident = offence["offence"]
            roles = [role for role, ids in (("charged", charged), ("recommended", recommended))
                     if ident in ids]
            if not roles and offence["status"] != "unknown":
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
