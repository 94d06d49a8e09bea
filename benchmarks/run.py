"""Measure chargecheck against floors timed in the same run (docs/performance.md).

    python benchmarks/run.py            # the full run: 20 pairs, 5,000 and 10,000 files
    python benchmarks/run.py --quick    # a smoke run: 7 pairs, 1,000 and 2,000 files

Every figure is a ratio. Commands A and B run alternately (A B A B ...), each as a
fresh process; a ratio is taken pair by pair and the median is reported with the
[min-max] of the pairs. Peak memory is each process's maximum resident set size
(with worker processes, the largest single process). The run uses its own bytecode
cache and rule cache in a temporary directory, warmed before timing, and removes
them afterwards. Results print as a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import yaml
from generate import SMALL, case_text, write

HERE = Path(__file__).resolve().parent
FLOORS = HERE / "floors"
BIN = Path(sys.executable).parent
PY = sys.executable
CHARGECHECK = str(BIN / "chargecheck")


@dataclass(frozen=True)
class Target:
    name: str
    a: str
    b: str
    limit: float
    at_least: bool  # True: the ratio must be at least `limit`; False: at most
    ratios: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.ratios)

    @property
    def met(self) -> bool:
        return self.median >= self.limit if self.at_least else self.median <= self.limit

    def row(self) -> str:
        bound = f"{'≥' if self.at_least else '≤'} {self.limit:.2f}"
        spread = f"[{min(self.ratios):.2f}–{max(self.ratios):.2f}]"
        return (f"| {self.name} | {self.b} vs {self.a} | **{self.median:.2f}** {spread} | "
                f"{bound} | {'met' if self.met else 'MISSED'} |")


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu: float  # user + system seconds, worker processes included
    peak_kib: int


class Bench:
    """Runs commands as fresh processes with a private, warmed bytecode and rule cache."""

    def __init__(self, scratch: Path) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env = {**env, "NO_COLOR": "1", "PYTHONPYCACHEPREFIX": str(scratch / "pycache"),
                    "XDG_CACHE_HOME": str(scratch / "cache")}

    def once(self, command: Sequence[str]) -> Run:
        with tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors,
                                    env=self.env)
            _, status, usage = os.wait4(proc.pid, 0)  # wall time and this process's peak
            seconds = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode not in (0, 1):
                errors.seek(0)
                message = errors.read()[-500:].decode(errors="replace")
                raise RuntimeError(f"{' '.join(command)} exited {proc.returncode}: {message}")
        return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)

    def pairs(self, a: Sequence[str], b: Sequence[str], runs: int, warmup: int
              ) -> list[tuple[Run, Run]]:
        for _ in range(warmup):
            self.once(a)
            self.once(b)
        return [(self.once(a), self.once(b)) for _ in range(runs)]


def time_ratios(pairs: list[tuple[Run, Run]]) -> list[float]:
    return [b.seconds / a.seconds for a, b in pairs]


def throughput_ratios(pairs: list[tuple[Run, Run]]) -> list[float]:
    """B's throughput as a share of A's, on the same files."""
    return [a.seconds / b.seconds for a, b in pairs]


def cpu_ratios(pairs: list[tuple[Run, Run]]) -> list[float]:
    return [b.cpu / a.cpu for a, b in pairs]


def memory_ratios(pairs: list[tuple[Run, Run]]) -> list[float]:
    return [b.peak_kib / a.peak_kib for a, b in pairs]


def sized_case(directory: Path, name: str, kib: int) -> str:
    """A generated case of about `kib` KiB, written to `directory`."""
    incidents = 3
    while True:
        text = case_text(random.Random(kib), 1, incidents)
        if len(text.encode()) >= kib * 1024:
            break
        incidents += 1
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def floor(name: str, *args: str) -> list[str]:
    return [PY, str(FLOORS / f"{name}.py"), *args]


def without_collector(command: list[str]) -> list[str]:
    """A floor script run with the cyclic collector off, as chargecheck's start-up runs."""
    script = command[1]
    return [PY, "-c", f"import gc; gc.disable(); exec(compile(open({script!r}).read(), "
            f"{script!r}, 'exec'))", *command[2:]]


def audit(directory: Path, jobs: int) -> list[str]:
    return [CHARGECHECK, "audit", str(directory), "--format", "json", "--jobs", str(jobs)]


def rules_diff(directory: Path, jobs: int) -> list[str]:
    rules = str(HERE.parent / "rules")  # the same rule set on both sides: all of the work
    return [CHARGECHECK, "rules", "diff", rules, rules, str(directory), "--format", "json",
            "--jobs", str(jobs)]


def single_process_targets(bench: Bench, scratch: Path, runs: int) -> list[Target]:
    small = sized_case(scratch, "small.yaml", 5)
    large = sized_case(scratch, "large.yaml", 50)
    json_small = [CHARGECHECK, "assess", small, "--format", "json"]
    text_small = [CHARGECHECK, "assess", small]
    json_large = [CHARGECHECK, "assess", large, "--format", "json"]
    model = bench.pairs(floor("f_model"), json_small, runs, 3)
    text = bench.pairs(json_small, text_small, runs, 3)
    size = bench.pairs(json_small, json_large, runs, 3)
    help_ = bench.pairs(floor("f_help"), [CHARGECHECK, "--help"], runs, 3)
    typer_help = bench.pairs(floor("f_help"), floor("f_help_app"), runs, 3)
    # chargecheck runs without the cyclic collector (chargecheck.cli.entry); these show what
    # is left once the floors do the same.
    model_no_gc = bench.pairs(without_collector(floor("f_model")), json_small, runs, 3)
    help_no_gc = bench.pairs(without_collector(floor("f_help")), [CHARGECHECK, "--help"],
                             runs, 3)
    return [
        Target("assess --format json, cold (5 KB)", "F_model", "assess json", 1.20, False,
               time_ratios(model)),
        Target("text output", "assess json", "assess text", 1.20, False, time_ratios(text)),
        Target("case size", "5 KB case", "50 KB case", 1.10, False, time_ratios(size)),
        Target("`chargecheck --help`", "F_help", "--help", 1.10, False, time_ratios(help_)),
        Target("(diagnostic) a two-command typer app's `--help`", "F_help", "F_help_app",
               1.10, False, time_ratios(typer_help)),
        Target("(diagnostic) assess json, both without the collector", "F_model, no GC",
               "assess json", 1.20, False, time_ratios(model_no_gc)),
        Target("(diagnostic) `--help`, both without the collector", "F_help, no GC", "--help",
               1.10, False, time_ratios(help_no_gc)),
        Target("peak RSS of assess", "F_model", "assess json", 1.15, False,
               memory_ratios(model)),
        # CPU time: other load on the machine disturbs it far less than elapsed time.
        Target("(diagnostic) assess json in CPU time", "F_model", "assess json", 1.20, False,
               cpu_ratios(model)),
        Target("(diagnostic) text output in CPU time", "assess json", "assess text", 1.20,
               False, cpu_ratios(text)),
        Target("(diagnostic) `--help` in CPU time", "F_help", "--help", 1.10, False,
               cpu_ratios(help_)),
    ]


def batch_targets(bench: Bench, scratch: Path, files: int, memory_files: int, runs: int
                  ) -> list[Target]:
    batch = scratch / "batch"
    write(batch, files, seed=1)
    parse = bench.pairs(floor("f_parse", str(batch)), audit(batch, 1), runs, 1)
    jobs = bench.pairs(audit(batch, 1), audit(batch, 2), runs, 0)
    diff_jobs = bench.pairs(rules_diff(batch, 1), rules_diff(batch, 2), runs, 0)
    shutil.rmtree(batch)
    few, many = scratch / "few", scratch / "many"
    write(few, memory_files // 10, seed=2)
    write(many, memory_files, seed=2)
    small = scratch / "small-batch"
    write(small, files, seed=3, shape=SMALL)
    small_parse = bench.pairs(floor("f_parse", str(small)), audit(small, 1), runs, 1)
    shutil.rmtree(small)
    memory = bench.pairs(audit(few, 1), audit(many, 1), 1, 0)
    memory_jobs = bench.pairs(audit(few, 2), audit(many, 2), 1, 0)
    shutil.rmtree(few)
    shutil.rmtree(many)
    per_file = f"{files:,} files"
    return [
        Target(f"audit throughput, 1 job ({per_file})", "F_parse", "audit -j1", 0.90, True,
               throughput_ratios(parse)),
        Target(f"audit speed-up, 2 jobs ({per_file})", "audit -j1", "audit -j2", 1.80, True,
               throughput_ratios(jobs)),
        # Real case files are small (2-4 KB), where start-up and the engine weigh more
        # against parsing than on the generated 20 KB files; the aim is the floor itself.
        Target(f"audit throughput on small cases, 1 job ({files:,} files of 2-4 KB)",
               "F_parse", "audit -j1", 1.00, True, throughput_ratios(small_parse)),
        Target(f"rules diff speed-up, 2 jobs ({per_file})", "diff -j1", "diff -j2", 1.80,
               True, throughput_ratios(diff_jobs)),
        # Diagnostics in CPU time, which other load on the machine disturbs far less.
        Target("(diagnostic) audit throughput in CPU time, 1 job", "F_parse", "audit -j1",
               0.90, True, [1 / r for r in cpu_ratios(parse)]),
        Target("(diagnostic) small cases in CPU time, 1 job", "F_parse", "audit -j1",
               1.00, True, [1 / r for r in cpu_ratios(small_parse)]),
        Target("(diagnostic) total CPU, 2 jobs against 1", "audit -j1", "audit -j2", 1.10,
               False, cpu_ratios(jobs)),
        Target("audit peak RSS, 1 job", f"{memory_files // 10:,} files",
               f"{memory_files:,} files", 1.10, False, memory_ratios(memory)),
        Target("audit peak RSS per process, 2 jobs", f"{memory_files // 10:,} files",
               f"{memory_files:,} files", 1.10, False, memory_ratios(memory_jobs)),
    ]


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    versions = ", ".join(f"{name} {metadata.version(name)}"
                         for name in ("typer", "pydantic", "pydantic_core", "rich", "PyYAML"))
    return [f"- {platform.platform()}; {os.cpu_count()} CPUs ({cpu})",
            f"- Python {platform.python_version()}; {versions}; "
            f"libyaml: {yaml.__with_libyaml__}"]


def report(targets: list[Target], elapsed: float, command: str, load: str) -> str:
    lines = ["## Machine", "", *machine(), "",
             f"Command: `{command}` ({elapsed:.0f} s; load average {load})", "",
             "| measure | pairing (B vs A) | median ratio [min–max] | target | result |",
             "|---|---|---:|---:|---|", *(t.row() for t in targets)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs and files")
    parser.add_argument("--runs", type=int, help="pairs per single-process measure")
    parser.add_argument("--only", choices=("single", "batch"), help="run one group only")
    args = parser.parse_args()
    runs = args.runs or (7 if args.quick else 20)
    files, memory_files, batch_runs = (1000, 2000, 2) if args.quick else (5000, 10000, 3)
    started, load_before = time.perf_counter(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="chargecheck-bench-") as tmp:
        scratch = Path(tmp)
        bench = Bench(scratch)
        groups: list[Callable[[], list[Target]]] = []
        if args.only != "batch":
            groups.append(lambda: single_process_targets(bench, scratch, runs))
        if args.only != "single":
            groups.append(lambda: batch_targets(bench, scratch, files, memory_files, batch_runs))
        targets = [t for group in groups for t in group()]
    command = " ".join(["python benchmarks/run.py", *sys.argv[1:]])
    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    sys.stdout.write(report(targets, time.perf_counter() - started, command, load))


if __name__ == "__main__":
    main()
