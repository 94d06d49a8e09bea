"""Write N varied, valid synthetic case files (seeded, so a batch can be rebuilt exactly).

    python benchmarks/generate.py OUT_DIR --count 5000 --seed 1

Cases have 3 to 60 incidents (with `--small`, 3 to 10 and 2 to 4 KB, like real
files), one or two victims, multi-line summaries, evidence lists, some plea offers and
some facts left out (unknown). Across a batch of 60 or more files every behaviour word
and every offence id of the contract appears.
The vocabularies come from `chargecheck.case.model`, so the files stay valid as the
contract grows.
"""

from __future__ import annotations

import argparse
import json
import random
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from chargecheck.case.model import (
    Behaviour,
    Channel,
    Effect,
    Hostility,
    OffenceId,
    OrderKind,
    Relationship,
    RiskLevel,
    RiskTool,
    SpoStatus,
)

BEHAVIOURS: tuple[str, ...] = typing.get_args(Behaviour)
OFFENCES: tuple[str, ...] = typing.get_args(OffenceId)
CHANNELS: tuple[str, ...] = typing.get_args(Channel)
EFFECTS: tuple[str, ...] = typing.get_args(Effect)
HOSTILITIES: tuple[str, ...] = typing.get_args(Hostility)
ORDERS: tuple[str, ...] = typing.get_args(OrderKind)
RELATIONSHIPS: tuple[str, ...] = typing.get_args(Relationship)
RISK_TOOLS: tuple[str, ...] = typing.get_args(RiskTool)
RISK_LEVELS: tuple[str, ...] = typing.get_args(RiskLevel)
SPO: tuple[str, ...] = typing.get_args(SpoStatus)
PHA = ("pha-s2", "pha-s2a", "pha-s4", "pha-s4a")
HISTORY_KINDS = ("pin", "caution", "conviction", "report", "order", "breach")
EVIDENCE = ("screenshots", "call log", "CCTV", "witness statement", "body-worn video",
            "phone download", "doorbell footage", "999 call recording", "photographs")
WORDS = ("messages", "late at night", "outside the house", "after being told to stop",
         "the victim felt watched", "neighbours saw him", "several times", "near her work",
         "left notes", "on social media", "under a false name", "with a friend present")
FIRST_DAY, LAST_DAY = date(2013, 6, 1), date(2025, 12, 31)


@dataclass(frozen=True)
class Shape:
    """How big a generated case is: its incidents, and the lines and evidence of each."""

    incidents: tuple[int, int]
    summary_lines: tuple[int, int]
    evidence: int


# The default batch: 3 to 60 incidents, about 20 KB a file on average.
LONG = Shape(incidents=(3, 60), summary_lines=(2, 5), evidence=2)
# Cases like real files: 3 to 10 incidents, 2 to 4 KB.
SMALL = Shape(incidents=(3, 10), summary_lines=(1, 2), evidence=1)


class Writer:
    """Builds one case file's text line by line; `fact` may leave a yes/no fact out."""

    def __init__(self, rng: random.Random, shape: Shape = LONG) -> None:
        self.rng = rng
        self.shape = shape
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def fact(self, indent: str, key: str, unknown: float = 0.2) -> None:
        if self.rng.random() >= unknown:
            self.add(f"{indent}{key}: {str(self.rng.random() < 0.5).lower()}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def case_text(rng: random.Random, n: int, incidents: int, shape: Shape = LONG) -> str:
    """One case file; `n` (its position in the batch) spreads the vocabularies over files."""
    out = Writer(rng, shape)
    decided = FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    start = decided - timedelta(days=rng.randrange(30, 720))
    victims = ["V1", "V2"] if rng.random() < 0.15 else ["V1"]
    out.add("format: 1")
    out.add(f"reference: SYN-{n:05d}")
    out.add(f"decision_date: {decided}")
    out.add("synthetic: true")
    _suspect(out, start)
    _victims(out, victims, start)
    _incidents(out, victims, start, decided, incidents, n)
    charged = _charges(out, n, victims)
    if rng.random() < 0.25:
        _plea(out, charged)
    _safeguarding(out)
    return out.text()


def _suspect(out: Writer, start: date) -> None:
    rng = out.rng
    out.add("suspect:")
    out.add("  label: D")
    out.add(f"  relationship: {rng.choice(RELATIONSHIPS)}")
    out.fact("  ", "lived_together", 0.4)
    if rng.random() < 0.5:
        out.add(f"  separated_on: {start - timedelta(days=rng.randrange(1, 200))}")
    if rng.random() < 0.4:
        out.add("  history:")
        for _ in range(rng.randint(1, 3)):
            when = start - timedelta(days=rng.randrange(10, 900))
            out.add(f"    - kind: {rng.choice(HISTORY_KINDS)}")
            out.add(f"      date: {when}")
            if rng.random() < 0.5:
                out.add(f"      offence: {rng.choice(PHA)}")
            out.add(f"      note: {json.dumps(' '.join(rng.sample(WORDS, 3)))}")


def _victims(out: Writer, victims: list[str], start: date) -> None:
    rng = out.rng
    out.add("victims:")
    for ident in victims:
        out.add(f"  - id: {ident}")
        out.add(f"    label: {'V' if ident == 'V1' else 'W'}")
        if rng.random() < 0.7:
            out.add(f"    made_clear_unwanted_on: {start + timedelta(days=rng.randrange(0, 20))}")
        for key in ("very_frightened", "serious_alarm_or_distress", "fears_for_others_only",
                    "supports_prosecution", "personal_statement"):
            out.fact("    ", key)
        if rng.random() < 0.8:
            effects = rng.sample(EFFECTS, rng.randint(0, 4))
            out.add(f"    day_to_day_effects: [{', '.join(effects)}]")


def _incidents(out: Writer, victims: list[str], start: date, decided: date, count: int,
               n: int) -> None:
    rng = out.rng
    span = max((decided - start).days - 7, count)
    days = sorted(rng.randrange(span) for _ in range(count))
    out.add("incidents:")
    for k, day in enumerate(days):
        when = min(start + timedelta(days=day), decided)
        tags = set(rng.sample(BEHAVIOURS[:12], rng.randint(1, 2)))  # the common ones
        if k == 0:  # walk the whole list across the batch, so every word turns up
            tags.add(BEHAVIOURS[n % len(BEHAVIOURS)])
        elif rng.random() < 0.03:
            tags.add(rng.choice(BEHAVIOURS))
        out.add(f"  - id: I{k + 1}")
        out.add(f"    date: {when}")
        if rng.random() < 0.2:
            out.add(f"    end_date: {min(when + timedelta(days=rng.randrange(1, 30)), decided)}")
        if rng.random() < 0.2:
            out.add(f"    count: {rng.randint(2, 80)}")
        if len(victims) > 1:
            out.add(f"    victims: [{', '.join(rng.sample(victims, rng.randint(1, 2)))}]")
        out.add(f"    behaviours: [{', '.join(sorted(tags))}]")
        if rng.random() < 0.8:
            out.add(f"    channel: {rng.choice(CHANNELS)}")
        out.fact("    ", "caused_fear_of_violence", 0.3)
        if rng.random() < 0.05:
            out.add(f"    hostility: {rng.choice(HOSTILITIES)}")
        _summary(out)
        evidence = rng.sample(EVIDENCE, out.shape.evidence)
        out.add(f"    evidence: [{', '.join(json.dumps(e) for e in evidence)}]")


def _summary(out: Writer) -> None:
    out.add("    summary: |")
    for _ in range(out.rng.randint(*out.shape.summary_lines)):
        out.add("      " + " ".join(out.rng.sample(WORDS, 6)).capitalize() + ".")


def _charges(out: Writer, n: int, victims: list[str]) -> list[str]:
    rng = out.rng
    charged = [OFFENCES[n % len(OFFENCES)]] if n % 3 == 0 else []
    charged += rng.sample(PHA, rng.choice((0, 1, 1, 1, 2)))
    charged = list(dict.fromkeys(charged))
    out.add("charges:" if charged else "charges: []")
    for offence in charged:
        out.add(f"  - offence: {offence}")
        if len(victims) > 1:
            out.add("    victims: [V1]")
        out.add(f"    status: {rng.choice(('charged', 'charged', 'proposed'))}")
    return charged


def _plea(out: Writer, charged: list[str]) -> None:
    rng = out.rng
    out.add("plea:")
    out.add(f"  offence: {rng.choice(('pha-s2', 'pha-s2', 'pha-s4', 'ca-s127'))}")
    out.add(f"  in_place_of: [{', '.join(charged)}]")
    out.fact("  ", "victim_consulted", 0.3)
    out.fact("  ", "basis_in_writing", 0.3)
    if rng.random() < 0.6:
        out.add(f"  reasons: {json.dumps('defence offer; ' + rng.choice(WORDS))}")


def _safeguarding(out: Writer) -> None:
    rng = out.rng
    out.add("safeguarding:")
    if rng.random() < 0.8:
        out.add(f"  risk_assessment: {rng.choice(RISK_TOOLS)}")
    if rng.random() < 0.6:
        out.add(f"  risk_level: {rng.choice(RISK_LEVELS)}")
    for key in ("risk_management_plan", "bail_conditions", "restraining_order_sought",
                "marac_referral", "specialist_advocate"):
        out.fact("  ", key, 0.25)
    if rng.random() < 0.6:
        out.add(f"  stalking_protection_order: {rng.choice(SPO)}")
    if rng.random() < 0.5:
        out.add(f"  orders_in_force: [{', '.join(rng.sample(ORDERS, rng.randint(0, 2)))}]")


def incident_count(rng: random.Random, n: int, shape: Shape = LONG) -> int:
    """Incidents in the shape's range; the first two files of a batch are the two extremes."""
    return shape.incidents[n] if n < 2 else rng.randint(*shape.incidents)


def generate(count: int, seed: int = 1, shape: Shape = LONG) -> Iterator[tuple[str, str]]:
    """(file name, text) for `count` cases; the same seed gives the same batch."""
    rng = random.Random(seed)
    for n in range(count):
        yield f"case-{n:05d}.yaml", case_text(rng, n, incident_count(rng, n, shape), shape)


def write(directory: Path, count: int, seed: int = 1, shape: Shape = LONG) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in generate(count, seed, shape):
        path = directory / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", action="store_true",
                        help="cases like real files: 3 to 10 incidents, 2 to 4 KB")
    args = parser.parse_args()
    write(args.directory, args.count, args.seed, SMALL if args.small else LONG)


if __name__ == "__main__":
    main()
