"""The deep fuzz run: many generated and broken case files, none may crash or hang.

    python -m benchmarks.fuzz                          # 20,000 inputs, seed 1
    python -m benchmarks.fuzz --count 50000 --seed 7   # another, larger sample

Run from the repository root. Inputs come from the strategies of the fuzz tests
(tests/fuzzing.py), driven by hypothesis with a fixed seed: one in five is a valid
case, the rest are valid cases broken in their data and their bytes. Each is written
to a temporary directory (removed afterwards) and run in this process, as
`chargecheck assess` runs it, under a per-input time limit; every `--cli-every`th
also runs through the real command in a subprocess. Results are recorded in
docs/reliability.md. Exit status 1 if anything crashed or hung.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import FrameType

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from chargecheck.cli.rule_loading import load_ruleset
from tests.fuzzing import (
    FLOW,
    Outcome,
    cases,
    check_contract,
    check_outcome,
    dump,
    mutated_files,
    run_command,
    run_in_process,
)

FORMATS = ["json"] * 5 + ["text", "markdown", "html"]  # mostly the cheap one
RULES = load_ruleset(use_cache=False)


class Hang(Exception):
    """An input ran past the per-input time limit."""


@dataclass
class Tally:
    tried: Counter[str] = field(default_factory=Counter)
    codes: Counter[int] = field(default_factory=Counter)
    cli_codes: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    slowest_input: bytes = b""
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)  # of every input, in order


@st.composite
def inputs(draw: st.DrawFn) -> tuple[str | None, bytes, str]:
    """(the reference of a valid case, else None; the file's bytes; a report format)."""
    output_format = draw(st.sampled_from(FORMATS))
    if draw(st.integers(0, 4)) == 0:
        case = draw(cases())
        return str(case["reference"]), dump(case, draw(FLOW)), output_format
    return None, draw(mutated_files()), output_format


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def judge(path: str, reference: str | None, output_format: str, limit: float) -> Outcome:
    """Run one input in process, within `limit` seconds; raise on anything wrong."""
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        outcome = run_in_process(path, RULES, output_format)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    check_outcome(path, outcome)
    if reference is not None:
        assert outcome.code in (0, 1), f"a valid case was refused: {outcome.err}"
        if output_format == "json":
            check_contract(outcome.out, reference)
    return outcome


def run(count: int, seed_value: int, limit: float, cli_every: int, workdir: Path) -> Tally:
    tally = Tally()
    path = str(workdir / "case.yaml")
    env = {"XDG_CACHE_HOME": str(workdir / "cache")}  # the real command's rule cache

    @seed(seed_value)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(inputs())
    def one(drawn: tuple[str | None, bytes, str]) -> None:
        reference, data, output_format = drawn
        n = sum(tally.tried.values()) + 1
        kind = "valid" if reference is not None else "broken"
        tally.tried[kind] += 1
        Path(path).write_bytes(data)
        tally.digest.update(b"%d:%s:" % (len(data), output_format.encode()) + data)
        label = f"#{n} ({kind}, {len(data):,} bytes, --format {output_format})"
        try:
            started = time.perf_counter()
            tally.codes[judge(path, reference, output_format, limit).code] += 1
            elapsed = time.perf_counter() - started
            if elapsed > tally.slowest[0]:
                tally.slowest, tally.slowest_input = (elapsed, label), data
            if n % cli_every == 0:
                outcome = run_command(path, output_format, timeout=60, env=env)
                check_outcome(path, outcome)
                tally.cli_codes[outcome.code] += 1
        except Exception as exc:
            # The input itself can be long: its start, and `#n` with the seed to rebuild it.
            summary = "".join(traceback.format_exception_only(exc)).strip()[:500]
            tally.failures.append(f"{label}: {summary}\n"
                                  f"    input starts {data[:300]!r}")

    one()
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000, help="inputs to try")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=10.0,
                        help="seconds one input may take in process before it counts as a hang")
    parser.add_argument("--cli-every", type=int, default=100,
                        help="also run every Nth input through the real command")
    parser.add_argument("--save-slowest", metavar="FILE",
                        help="write the slowest input to FILE, to look into")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chargecheck-fuzz-") as workdir:
        tally = run(args.count, args.seed, args.limit, args.cli_every, Path(workdir))
    wall = time.monotonic() - started
    report(args, tally, wall)
    if args.save_slowest:
        Path(args.save_slowest).write_bytes(tally.slowest_input)
    return 1 if tally.failures else 0


def report(args: argparse.Namespace, tally: Tally, wall: float) -> None:
    def codes(counter: Counter[int]) -> str:
        return ", ".join(f"exit {code}: {n:,}" for code, n in sorted(counter.items()))

    tried = sum(tally.tried.values())
    print(f"chargecheck fuzz run, {date.today()}: python -m benchmarks.fuzz --count {args.count} "
          f"--seed {args.seed} --limit {args.limit:g} --cli-every {args.cli_every}")
    print(f"machine: {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"inputs tried: {tried:,} ({tally.tried['valid']:,} valid, "
          f"{tally.tried['broken']:,} broken); wall time {wall:,.0f} s")
    print(f"inputs digest: sha256:{tally.digest.hexdigest()[:16]} (the same seed and count "
          "should give the same inputs)")
    print(f"in process: {codes(tally.codes)}")
    print(f"real command (every {args.cli_every}th input): "
          f"{sum(tally.cli_codes.values()):,} runs; {codes(tally.cli_codes)}")
    print(f"crashes, hangs and broken rules: {len(tally.failures)}")
    print(f"slowest input in process: {tally.slowest[0]:.3f} s, {tally.slowest[1]}")
    for failure in tally.failures[:20]:
        print("  " + failure)


if __name__ == "__main__":
    sys.exit(main())
