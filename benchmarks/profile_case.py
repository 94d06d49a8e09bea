"""Where one case's time goes in `audit`, phase by phase, as ratios to a plain libyaml load.

    python benchmarks/profile_case.py                 # 300 cases, 7 rounds
    python benchmarks/profile_case.py --rounds 9 --cases 300 --seed 1
    python benchmarks/profile_case.py --small         # cases like real files, 2 to 4 KB
    python benchmarks/profile_case.py --cprofile 30   # also the top 30 functions of summarise

Run it with the project's virtual environment. Cases come from the seeded generator
(benchmarks/generate.py) and are written to a temporary directory, because the audit
worker step (`audit.summarise`) reads its file from disk. Each round runs every phase on
every case, the phases taking turns case by case (round-robin, in an order that rotates
each round), so a change in the machine's speed hits them alike; the table gives the
median over the rounds of each phase's time divided by the plain load's time in the same
round. The garbage collector is tuned as in an audit worker.

Phases:
- `yaml.load`: `yaml.load(text, Loader=yaml.CSafeLoader)`, the F_parse floor (1.00);
- `yamlio.load`: our reader (data, and the line of every key path when asked for);
- `load_case`: reading, validation and the cross-checks, from the text;
- `validation`: `case_from_document` alone, on an already-read document;
- `assess`: the engine on the validated case;
- `summarise`: the whole audit worker step (read the file, load_case, assess, summary).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `generate`, as run.py imports it

from generate import LONG, SMALL, generate

from chargecheck.case import yamlio
from chargecheck.case.loading import case_from_document, load_case
from chargecheck.case.model import Case
from chargecheck.cli import audit
from chargecheck.cli.rule_loading import load_ruleset
from chargecheck.engine.assess import assess
from chargecheck.rulebook.ruleset import RuleSet

Phase = Callable[[int], object]  # runs one phase on the case with that number


def phases(files: list[str], texts: list[str], rules: RuleSet) -> dict[str, Phase]:
    """Each phase as a function of the case's number."""
    docs = [yamlio.load(f, t) for f, t in zip(files, texts, strict=True)]
    cases: list[Case] = [load_case(f, t) for f, t in zip(files, texts, strict=True)]
    return {
        "yaml.load": lambda n: yaml.load(texts[n], Loader=yaml.CSafeLoader),
        "yamlio.load": lambda n: yamlio.load(files[n], texts[n]),
        "load_case": lambda n: load_case(files[n], texts[n]),
        "validation": lambda n: case_from_document(docs[n]),
        "assess": lambda n: assess(cases[n], rules),
        "summarise": lambda n: audit.summarise(files[n]),
    }


def measure(table: dict[str, Phase], count: int, rounds: int) -> dict[str, list[float]]:
    """Per phase and round, its time over all cases divided by the plain load's.

    The phases take turns case by case (in an order that rotates each round), so a
    change in the machine's speed, which is common on a shared machine, hits them alike.
    """
    ratios: dict[str, list[float]] = {name: [] for name in table}
    names = list(table)
    for name in names:  # warm-up: first calls fill caches (rule messages, imports)
        table[name](0)
    for turn in range(rounds):
        order = names[turn % len(names):] + names[:turn % len(names)]
        seconds = dict.fromkeys(names, 0.0)
        for n in range(count):
            for name in order:
                start = time.perf_counter()
                table[name](n)
                seconds[name] += time.perf_counter() - start
        for name in names:
            ratios[name].append(seconds[name] / seconds["yaml.load"])
    return ratios


def report(ratios: dict[str, list[float]], per_case_ms: float) -> None:
    print(f"plain yaml.load: {per_case_ms:.2f} ms per case (median; absolute times drift)")
    print(f"{'phase':<12} {'median':>7}  [min-max]")
    for name, values in ratios.items():
        print(f"{name:<12} {statistics.median(values):7.2f}  "
              f"[{min(values):.2f}-{max(values):.2f}]")
    worker = statistics.median(ratios["summarise"])
    print(f"audit throughput against F_parse, per case in process: {1 / worker:.0%}")


def _timed(run: Phase, count: int) -> float:
    start = time.perf_counter()
    for n in range(count):
        run(n)
    return time.perf_counter() - start


def profile(files: list[str], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for file in files:
        audit.summarise(file)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--small", action="store_true",
                        help="cases like real files: 3 to 10 incidents, 2 to 4 KB")
    parser.add_argument("--cprofile", type=int, metavar="TOP", default=0,
                        help="also profile summarise and print the TOP functions by own time")
    args = parser.parse_args()
    rules = load_ruleset(use_cache=False)
    audit._WORKER.rules = rules
    with tempfile.TemporaryDirectory(prefix="chargecheck-profile-") as scratch:
        files, texts = [], []
        for name, text in generate(args.cases, args.seed, SMALL if args.small else LONG):
            path = Path(scratch) / name
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
            texts.append(text)
        table = phases(files, texts, rules)
        gc.freeze()  # as an audit worker does (workers._tune_gc)
        gc.set_threshold(50_000, 20, 100)
        per_case = statistics.median(_timed(table["yaml.load"], len(texts))
                                     for _ in range(3)) / len(texts)
        report(measure(table, len(texts), args.rounds), per_case * 1000)
        if args.cprofile:
            profile(files, args.cprofile)


if __name__ == "__main__":
    main()
