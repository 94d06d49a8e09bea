"""Valid case files, ways to break them, and what every run must do with them.

Shared by `tests/test_fuzz.py` (a fast, derandomised profile for CI) and
`benchmarks/fuzz.py` (the occasional deep run). `cases()` draws valid case data
(every vocabulary word, 1-3 victims, coherent ISO dates, yes/no facts true, false or
left out); `mutated_files()` breaks it the ways real files break: dropped,
duplicated, retyped and misspelt fields, truncation, stray bytes, tabs, NUL,
invalid UTF-8, deep nesting, anchors and aliases.

`run_in_process` is what `chargecheck assess` does, minus the terminal: load_case,
assess, the recorded decisions, render. An `InputError` is exit 2; anything else
escapes to the caller, because it would be exit 3 (a bug) from the real CLI.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

import yaml
from hypothesis import strategies as st

from chargecheck.case.loading import load_case
from chargecheck.case.model import (
    Behaviour,
    Channel,
    Effect,
    HistoryKind,
    Hostility,
    OffenceId,
    OrderKind,
    Relationship,
    RiskLevel,
    RiskTool,
    SpoStatus,
)
from chargecheck.cli.renderers import renderer
from chargecheck.engine.assess import assess
from chargecheck.engine.decisions import with_decisions
from chargecheck.errors import InputError
from chargecheck.reports.options import ReportOptions
from chargecheck.rulebook.ruleset import RuleSet

T = TypeVar("T")
FORMATS = ("json", "text", "markdown", "html")
FIRST_DAY = date(1995, 1, 1)
LAST_DAY = min(date(2025, 12, 31), date.today())  # left out, the decision date is today
OFFENCES: tuple[str, ...] = typing.get_args(OffenceId)
BEHAVIOURS: tuple[str, ...] = typing.get_args(Behaviour)
# Case text is data, never markup: reports must survive all of these.
NASTY_TEXT = ("[red]x[/red] <script>alert(1)</script>", "\x1b[31mred\x1b[0m", "# heading",
              "*a* _b_ `c` | d |", "{{ x }} {0} %s", "line one\nline two", "'\"\\", "é ✓ 🙂",
              "\u202eevil", "\x00\x07", "yes", "no", "~", "null", "2017-02-30", "09", "")

# --- valid cases --------------------------------------------------------------------------
# Strategies are built once, here: building them inside a draw costs more than the run.

OMIT = object()  # "leave this key out"
Draw = st.DrawFn
INDEX = st.integers(0, 1 << 20)
BOOL = st.booleans()


def pick(draw: Draw, choices: Sequence[T]) -> T:
    """One of `choices`, which vary from draw to draw (a static strategy does the drawing)."""
    return choices[draw(INDEX) % len(choices)]


def day(draw: Draw, first: date, last: date) -> date:
    return first + timedelta(days=draw(INDEX) % ((last - first).days + 1))


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.just(OMIT) | strategy


def word(vocabulary: Any) -> st.SearchStrategy[Any]:
    return optional(st.sampled_from(typing.get_args(vocabulary)))


def fields(draw: Draw, table: dict[str, st.SearchStrategy[Any]]) -> dict[str, Any]:
    return {key: value for key, strategy in table.items() if (value := draw(strategy)) is not OMIT}


FACT = st.sampled_from([OMIT, True, False])  # a yes/no fact: true, false or not known
FREE_TEXT = st.sampled_from(NASTY_TEXT) | st.text(max_size=40)
TEXT = optional(FREE_TEXT)
LABEL = optional(st.text(min_size=1, max_size=64))
OFFENCE = st.sampled_from(OFFENCES)
IDS = st.builds("{}{}".format, st.sampled_from("VIX"), st.integers(1, 99)) | st.text(
    min_size=1, max_size=8)
DECISION = st.none() | st.dates(date(2000, 1, 1), LAST_DAY)
SUSPECT = {"label": LABEL, "name": TEXT, "relationship": word(Relationship),
           "lived_together": FACT}
HISTORY = {"kind": st.sampled_from(typing.get_args(HistoryKind)), "offence": optional(OFFENCE),
           "note": TEXT}
VICTIM = {"label": LABEL, "name": TEXT, "very_frightened": FACT,
          "serious_alarm_or_distress": FACT, "fears_for_others_only": FACT,
          "supports_prosecution": FACT, "personal_statement": FACT,
          "day_to_day_effects": optional(st.lists(st.sampled_from(typing.get_args(Effect)),
                                                  max_size=4, unique=True))}
INCIDENT = {"count": optional(st.integers(1, 10) | st.integers(1, 10**6)),
            "behaviours": st.lists(st.sampled_from(BEHAVIOURS), min_size=1, max_size=4),
            "channel": word(Channel), "caused_fear_of_violence": FACT,
            "hostility": word(Hostility), "summary": optional(FREE_TEXT | st.text(max_size=300)),
            "evidence": optional(st.lists(FREE_TEXT, max_size=3))}
CHARGE = {"offence": OFFENCE, "status": optional(st.sampled_from(["charged", "proposed"]))}
PLEA = {"offence": OFFENCE, "in_place_of": optional(st.lists(OFFENCE, max_size=3)),
        "victim_consulted": FACT, "basis_in_writing": FACT, "reasons": TEXT}
SAFEGUARDING = {
    "risk_assessment": word(RiskTool), "risk_level": word(RiskLevel),
    "risk_management_plan": FACT, "bail_conditions": FACT, "restraining_order_sought": FACT,
    "stalking_protection_order": word(SpoStatus), "marac_referral": FACT,
    "specialist_advocate": FACT, "orders_in_force": optional(st.lists(
        st.sampled_from(typing.get_args(OrderKind)), max_size=3))}


@st.composite
def cases(draw: Draw) -> dict[str, Any]:
    """A valid case file's data: `load_case` must accept it and `assess` must judge it."""
    decision = draw(DECISION)
    last = decision or LAST_DAY  # no incident after the decision date

    def dated(entry: dict[str, Any], key: str, first: date = FIRST_DAY) -> None:
        if draw(BOOL):
            entry[key] = day(draw, first, last)

    case: dict[str, Any] = {"format": 1, "reference": draw(st.text(min_size=1, max_size=200))}
    case |= fields(draw, {"jurisdiction": optional(st.just("england-and-wales")),
                          "synthetic": FACT})
    if decision is not None:
        case["decision_date"] = decision
    if draw(BOOL):
        suspect = case["suspect"] = fields(draw, SUSPECT)
        dated(suspect, "separated_on")
        if draw(BOOL):
            suspect["history"] = [fields(draw, HISTORY) for _ in range(draw(st.integers(0, 3)))]
            for entry in suspect["history"]:
                dated(entry, "date")
    victim_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    case["victims"] = [{"id": ident, **fields(draw, VICTIM)} for ident in victim_ids]
    for victim in case["victims"]:
        dated(victim, "made_clear_unwanted_on")
    case["incidents"] = []
    for ident in draw(st.lists(IDS, min_size=1, max_size=6, unique=True)):
        incident = {"id": ident, "date": day(draw, FIRST_DAY, last), **fields(draw, INCIDENT)}
        dated(incident, "end_date", incident["date"])
        case["incidents"].append(incident)
    case["charges"] = [fields(draw, CHARGE) for _ in range(draw(st.integers(0, 3)))]
    for entry in case["incidents"] + case["charges"]:
        # Which victims it concerns: required with several victims, optional with one.
        if len(victim_ids) > 1 or draw(BOOL):
            chosen = [pick(draw, victim_ids) for _ in range(draw(st.integers(1, 3)))]
            entry["victims"] = list(dict.fromkeys(chosen))
    if draw(BOOL):
        case["plea"] = fields(draw, PLEA)
    if draw(BOOL):
        case["safeguarding"] = fields(draw, SAFEGUARDING)
    return case


# --- writing YAML -------------------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_YAML_WORDS = re.compile(r"(?i)y|n|yes|no|on|off|true|false|null")


class _Dumper(yaml.CSafeDumper):
    """Plain words stay plain (`contacting`); any other text is double-quoted, so it reads
    back as text under the reader's rules (PyYAML would leave `09` plain: an int there).
    Never anchors: a date used twice is written out twice."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.CSafeDumper, value: str) -> yaml.ScalarNode:
    plain = _PLAIN.fullmatch(value) and not _YAML_WORDS.fullmatch(value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=None if plain else '"')


_Dumper.add_representer(str, _text)


def dump(data: Any, flow: bool | None = False) -> bytes:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=flow, width=100)
    return text.encode("utf-8")


FLOW = st.sampled_from([False, False, None, True])  # block style, mixed, all flow


@st.composite
def valid_files(draw: Draw) -> bytes:
    return dump(draw(cases()), draw(FLOW))


# --- breaking the data --------------------------------------------------------------------

JUNK: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-2, 2) | st.floats()
    | st.text(max_size=12) | st.dates() | st.datetimes() | st.sampled_from(NASTY_TEXT),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=6)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path below `data`, parents before children."""
    items = data.items() if isinstance(data, dict) else (
        enumerate(data) if isinstance(data, list) else ())
    out: list[tuple[Any, ...]] = []
    for key, value in items:
        out.append((*path, key))
        out.extend(_paths(value, (*path, key)))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _path(draw: Draw, data: dict[str, Any]) -> tuple[Any, ...]:
    return pick(draw, _paths(data))


def drop(draw: Draw, data: dict[str, Any]) -> None:
    path = _path(draw, data)
    del _parent(data, path)[path[-1]]


def retype(draw: Draw, data: dict[str, Any]) -> None:
    path = _path(draw, data)
    _parent(data, path)[path[-1]] = draw(JUNK)


MISSPELLINGS = st.sampled_from(["delete", "insert", "swap", "case", "space"])


def _misspell(draw: Draw, word: str) -> str:
    how = draw(MISSPELLINGS)
    at = draw(INDEX) % max(1, len(word))
    if how == "delete":
        return word[:at] + word[at + 1:]
    if how == "insert":
        return word[:at] + draw(st.characters()) + word[at:]
    if how == "swap" and len(word) > 1:
        at = min(at, len(word) - 2)
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return word.upper() if how == "case" else f" {word}_"


def misspell(draw: Draw, data: dict[str, Any]) -> None:
    """Corrupt a word: a vocabulary value or id (`folowing`), or a key (`victms`)."""
    path = _path(draw, data)
    parent = _parent(data, path)
    value = parent[path[-1]]
    if isinstance(value, str) and draw(BOOL):
        parent[path[-1]] = _misspell(draw, value)
    elif isinstance(parent, dict):
        del parent[path[-1]]
        parent[_misspell(draw, path[-1])] = value


def add_key(draw: Draw, data: dict[str, Any]) -> None:
    mappings = [data, *(v for v in _values(data) if isinstance(v, dict))]
    pick(draw, mappings)[draw(st.text(min_size=1, max_size=10))] = draw(JUNK)


def _values(data: Any) -> list[Any]:
    return [_parent(data, p)[p[-1]] for p in _paths(data)]


DATA_MUTATIONS: dict[str, Callable[[Draw, dict[str, Any]], None]] = {
    "drop": drop, "retype": retype, "misspell": misspell, "add-key": add_key}

# --- breaking the bytes -------------------------------------------------------------------

TOKENS = (b"\t", b"\x00", b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\r", b"\x1b[31m",
          b"\x07", b"\xc2\x85", b"\xef\xbf\xbe", b":", b": ", b"- ", b"[", b"]", b"{", b"}",
          b"&a ", b"*a", b"!!python/object/apply:os.system ", b"!x ", b"<<: ", b"---\n",
          b"...\n", b"%YAML 1.1\n", b"? ", b"|", b">", b"'", b'"', b"#", b",", b"\\",
          b"yes", b"no", b"on", b"~", b"0x1F", b"1e999", b"-1", b"2017-02-30", b"9" * 5000)
BILLION_LAUGHS = b'lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
    b"%s: &%s [%s]\n" % (b, b, b", ".join([b"*" + a] * 9)) for a, b in zip(
        (bytes([c]) for c in b"abcdefgh"), (bytes([c]) for c in b"bcdefghi"), strict=True))


STRAY = st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=6)


def _at(draw: Draw, text: bytes) -> int:
    return draw(INDEX) % (len(text) + 1)


def truncate(draw: Draw, text: bytes) -> bytes:
    return text[:_at(draw, text)]


def flip(draw: Draw, text: bytes) -> bytes:
    out = bytearray(text)
    for _ in range(draw(st.integers(1, 4))):
        if out:
            out[draw(INDEX) % len(out)] ^= draw(st.integers(1, 255))
    return bytes(out)


def insert(draw: Draw, text: bytes) -> bytes:
    at = _at(draw, text)
    return text[:at] + draw(STRAY) + text[at:]


def _lines(draw: Draw, text: bytes) -> tuple[list[bytes], int]:
    lines = text.splitlines(keepends=True) or [b""]
    return lines, draw(INDEX) % len(lines)


def duplicate_line(draw: Draw, text: bytes) -> bytes:
    """Repeat a line: a duplicate key at any depth (or a repeated list item)."""
    lines, n = _lines(draw, text)
    return b"".join([*lines[:n + 1], lines[n], *lines[n + 1:]])


def delete_line(draw: Draw, text: bytes) -> bytes:
    lines, n = _lines(draw, text)
    return b"".join(lines[:n] + lines[n + 1:])


def tab_indent(draw: Draw, text: bytes) -> bytes:
    lines, n = _lines(draw, text)
    lines[n] = b"\t" + lines[n].lstrip(b" ")
    return b"".join(lines)


YAML11_WORDS = st.sampled_from([b"yes", b"no", b"on", b"off", b"y", b"Yes", b"TRUE"])
DEPTH = st.integers(1, 60) | st.integers(1, 20_000)
NESTING = st.sampled_from(["list", "map", "block"])
ENCODINGS = st.sampled_from(["utf-16", "latin-1", "bom", "crlf", "cr"])


def yaml11_word(draw: Draw, text: bytes) -> bytes:
    """`true` where a word was meant, or `yes`/`on` where a boolean was meant."""
    return re.sub(rb"\b(true|false|contacting|none)\b", draw(YAML11_WORDS), text, count=1)


def nest(draw: Draw, text: bytes) -> bytes:
    """Nesting from a little to far past the limit, balanced or not, flow or block."""
    depth = draw(DEPTH)
    kind = draw(NESTING)
    if kind == "block":
        body = b"".join(b"  " * i + b"k:\n" for i in range(min(depth, 400)))
    else:
        opener, closer = (b"[", b"]") if kind == "list" else (b"{a: ", b"}")
        body = opener * depth + b"1" + closer * (draw(INDEX) % (depth + 1)) + b"\n"
    return text + b"synthetic: " + (b"\n" if kind == "block" else b"") + body


def anchors(draw: Draw, text: bytes) -> bytes:
    if draw(BOOL):
        return text + BILLION_LAUGHS
    return re.sub(rb": ([^\n]+)\n", rb": &v \1\n", text, count=1) + b"plea: *v\n"


def reencode(draw: Draw, text: bytes) -> bytes:
    how = draw(ENCODINGS)
    decoded = text.decode("utf-8", "replace")
    if how in ("utf-16", "latin-1"):
        return decoded.encode(how, "replace")
    if how == "bom":
        return b"\xef\xbb\xbf" + text
    return text.replace(b"\n", b"\r\n" if how == "crlf" else b"\r")


BYTE_MUTATIONS: dict[str, Callable[[Draw, bytes], bytes]] = {
    "truncate": truncate, "flip": flip, "insert": insert, "duplicate-line": duplicate_line,
    "delete-line": delete_line, "tab": tab_indent, "yaml-1.1": yaml11_word, "nest": nest,
    "anchors": anchors, "reencode": reencode}


DATA_CHANGES = st.lists(st.sampled_from(sorted(DATA_MUTATIONS)), max_size=2)
BYTE_CHANGES = st.lists(st.sampled_from(sorted(BYTE_MUTATIONS)), max_size=2)
SOME_BYTE_CHANGES = st.lists(st.sampled_from(sorted(BYTE_MUTATIONS)), min_size=1, max_size=2)


@st.composite
def mutated_files(draw: Draw) -> bytes:
    """A valid case broken 1 to 4 ways: first in its data, then in its bytes."""
    data = draw(cases())
    in_data = draw(DATA_CHANGES)
    for name in in_data:
        if data:  # every key may have been dropped
            DATA_MUTATIONS[name](draw, data)
    text = dump(data, draw(FLOW))
    for name in draw(BYTE_CHANGES if in_data else SOME_BYTE_CHANGES):
        text = BYTE_MUTATIONS[name](draw, text)
    return text


# --- running and judging ------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def run_in_process(path: str, rules: RuleSet, output_format: str = "json") -> Outcome:
    """`chargecheck assess PATH --format F`, in this process; bugs raise."""
    try:
        case = load_case(path)
        result = with_decisions(assess(case, rules), case, rules)
        text = renderer(output_format)(result, case, ReportOptions())
    except InputError as exc:
        return Outcome(2, "", "".join(f"error: {problem}\n" for problem in exc.problems))
    return Outcome(1 if result.fails("high") else 0, text, "")


def check_outcome(path: str, outcome: Outcome) -> None:
    """What every run must do, whatever the input: exit 0, 1 or 2, say something, and never
    show a traceback; refusals name the file on every line."""
    assert outcome.code in (0, 1, 2), f"exit {outcome.code}: {outcome.err[-2000:]}"
    assert (outcome.out + outcome.err).strip(), "printed nothing"
    assert "Traceback" not in outcome.out + outcome.err
    if outcome.code == 2:
        assert outcome.out == ""
        for line in outcome.err.splitlines():
            assert line.startswith(f"error: {path}"), f"not a one-line message: {line!r}"


CONTRACT = {"reference", "advisory", "ruleset", "course_of_conduct", "indicators",
            "escalation", "offences", "recommended_charges", "findings"}
CATEGORIES = {"under-charging", "plea-risk", "charge-validity", "evidence-gap", "safeguarding",
              "escalation"}
SEVERITIES = {"info", "low", "medium", "high", "critical"}


def check_contract(report: str, reference: str) -> None:
    """The JSON report has the keys of the contract (spec section 5)."""
    data = json.loads(report)
    assert data.keys() >= CONTRACT
    assert data["reference"] == reference
    assert {"version", "digest"} <= data["ruleset"].keys()
    assert {"established", "occasions", "first", "last"} <= data["course_of_conduct"].keys()
    assert data["indicators"].keys() == {"fixated", "obsessive", "unwanted", "repeated"}
    assert {"level", "markers"} <= data["escalation"].keys()
    assert {"pha-s2", "pha-s2a", "pha-s4", "pha-s4a"} <= {o["offence"] for o in data["offences"]}
    for offence in data["offences"]:
        assert offence["status"] in ("supported", "not-supported", "unknown")
        assert {"in_force", "in_time", "maximum", "missing"} <= offence.keys()
    for finding in data["findings"]:
        assert finding["category"] in CATEGORIES and finding["severity"] in SEVERITIES
        assert {"rule", "title", "message", "citations", "incidents"} <= finding.keys()
    assert set(data["recommended_charges"]) <= set(OFFENCES)



def run_command(path: str, output_format: str = "json", timeout: float = 60,
                env: dict[str, str] | None = None) -> Outcome:
    """`python -m chargecheck assess PATH` in a subprocess; a hang raises TimeoutExpired."""
    proc = subprocess.run(
        [sys.executable, "-m", "chargecheck", "assess", path, "--format", output_format],
        capture_output=True, encoding="utf-8", errors="replace", timeout=timeout, check=False,
        env={**os.environ, "NO_COLOR": "1", "CHARGECHECK_DEBUG": "", **(env or {})})
    return Outcome(proc.returncode, proc.stdout, proc.stderr)
