"""One digest per output of `chargecheck`, to show that a change leaves every output as it was.

    python benchmarks/outputs_digest.py > /tmp/before.txt       # before the change
    python benchmarks/outputs_digest.py --against /tmp/before.txt  # after: exit 1 on a difference

Runs the installed `chargecheck` (beside the Python that runs this script) as a user would,
in fresh processes, and prints `DIGEST  LABEL` for each command: the SHA-256 of its exit
code, standard output and standard error. Only the command line is used, never the
package's modules, so the script works unchanged across a restructuring of the code.

The inputs: every example, every case file under `rules/tests/bases/`, every rule test
case merged over its base (as `chargecheck test` merges them) and 500 cases from the
seeded generator (`generate.py`, seed 1), written to a temporary directory outside the
repository. For each: `assess` in text, JSON, Markdown and HTML. On the examples and the
bases also `--explain` in every format, `--show-names`, a what-if (`--set`) and
`timeline`. Then `test`, `rules list`, `rules docs`, `explain` for every rule,
`validate rules/ examples/`, `schema`, the training scenarios, `--help`, and `audit`
over the 500 cases in every format. Paths are given relative to a fixed working
directory so that no output names the temporary directory.

Determinism: NO_COLOR=1, COLUMNS=100, TERM=dumb, SOURCE_DATE_EPOCH fixed, a private rule
cache; a case without a decision date is judged "today", so compare runs of one day.
`--keep DIR` also writes each output there, to see what differs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `generate`, as run.py imports it

from generate import write

from chargecheck.rulebook.rule_tests import merge

ROOT = Path(__file__).resolve().parents[1]
CHARGECHECK = str(Path(sys.executable).parent / "chargecheck")
FORMATS = ("text", "json", "markdown", "html")
GENERATED, SEED = 500, 1
WHAT_IF = ("--set", "safeguarding.restraining_order_sought=true",
           "--set", "victims.V1.very_frightened=true")


@dataclass(frozen=True)
class Command:
    label: str
    cwd: str  # "repo" or "scratch": paths in the arguments are relative to it
    args: tuple[str, ...]
    stdin: bytes = b""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="a digest list to compare with")
    parser.add_argument("--keep", type=Path, help="also write every output to this directory")
    parser.add_argument("--jobs", type=int, default=2 * (os.cpu_count() or 1))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chargecheck-digest-") as scratch:
        commands = list(_commands(Path(scratch)))
        env = _environment(Path(scratch))
        with ThreadPoolExecutor(options.jobs) as pool:
            digests = list(pool.map(lambda c: _digest(c, scratch, env, options.keep), commands))
    lines = [f"{digest}  {command.label}" for command, digest in zip(commands, digests,
                                                                     strict=True)]
    if options.against is None:
        sys.stdout.write("\n".join(lines) + "\n")
        return 0
    return _compare(options.against.read_text(encoding="utf-8").splitlines(), lines)


def _compare(before: list[str], after: list[str]) -> int:
    old, new = _by_label(before), _by_label(after)
    differ = [label for label in old.keys() | new.keys() if old.get(label) != new.get(label)]
    for label in sorted(differ):
        print(f"DIFFERS  {label}: {old.get(label, '(absent)')} -> {new.get(label, '(absent)')}")
    print(f"{len(new)} outputs, {len(differ)} differ")
    return 1 if differ else 0


def _by_label(lines: list[str]) -> dict[str, str]:
    return {label: digest for digest, _, label in (line.partition("  ") for line in lines)}


def _environment(scratch: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("CHARGECHECK_", "LC_"))}
    return {**keep, "NO_COLOR": "1", "COLUMNS": "100", "LINES": "40", "TERM": "dumb",
            "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1700000000",
            "XDG_CACHE_HOME": str(scratch / "cache")}


def _digest(command: Command, scratch: str, env: dict[str, str], keep: Path | None) -> str:
    cwd = str(ROOT) if command.cwd == "repo" else scratch
    proc = subprocess.run([CHARGECHECK, *command.args], cwd=cwd, env=env, input=command.stdin,
                          capture_output=True, timeout=600, check=False)
    blob = (f"exit {proc.returncode}\n".encode() + b"\0stdout\0" + proc.stdout
            + b"\0stderr\0" + proc.stderr)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / command.label.replace("/", "_").replace(" ", "_")).write_bytes(blob)
    return hashlib.sha256(blob).hexdigest()[:24]


# --- what to run ---------------------------------------------------------------------------

def _commands(scratch: Path) -> Iterator[Command]:
    examples = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").glob("*.yaml"))
    bases = sorted(p.relative_to(ROOT).as_posix()
                   for p in (ROOT / "rules/tests/bases").glob("*.yaml"))
    for case in [*examples, *bases]:
        yield from _assessed(case, "repo", thorough=True)
    for case in _rule_test_cases(scratch):
        yield from _assessed(case, "scratch", thorough=False)
    write(scratch / "generated", GENERATED, SEED)
    generated = sorted(f"generated/{p.name}" for p in (scratch / "generated").glob("*.yaml"))
    for case in generated:
        yield from _assessed(case, "scratch", thorough=False)
    yield from _audits()
    yield from _rule_commands()
    yield from _other_commands()


def _assessed(case: str, cwd: str, thorough: bool) -> Iterator[Command]:
    for form in FORMATS:
        yield Command(f"assess {case} {form}", cwd, ("assess", case, "--format", form))
    if not thorough:
        return
    for form in FORMATS:
        yield Command(f"assess {case} {form} --explain", cwd,
                      ("assess", case, "--format", form, "--explain"))
        yield Command(f"assess {case} {form} --set", cwd,
                      ("assess", case, "--format", form, *WHAT_IF))
    for form in ("text", "json"):
        yield Command(f"assess {case} {form} --show-names", cwd,
                      ("assess", case, "--format", form, "--show-names"))
    yield Command(f"assess {case} json --explain --set", cwd,
                  ("assess", case, "--format", "json", "--explain", *WHAT_IF))
    yield Command(f"assess {case} --fail-on info", cwd, ("assess", case, "--fail-on", "info"))
    yield Command(f"timeline {case}", cwd, ("timeline", case))


def _rule_test_cases(scratch: Path) -> list[str]:
    """Every case of `rules/tests/*.yaml` merged over its base, as a case file."""
    written = []
    folder = scratch / "rule-tests"
    folder.mkdir()
    for file in sorted((ROOT / "rules/tests").glob("*.yaml")):
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for n, spec in enumerate(data.get("cases") or []):
            base: dict[str, Any] = {}
            if spec.get("base") is not None:
                base_file = ROOT / "rules/tests/bases" / f"{spec['base']}.yaml"
                base = yaml.load(base_file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            case = merge(base, spec.get("case") or {})
            case.setdefault("format", 1)
            case.setdefault("reference", f"test {spec.get('name')}")
            name = f"rule-tests/{file.stem}-{n:02d}.yaml"
            (scratch / name).write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
            written.append(name)
    return written


def _audits() -> Iterator[Command]:
    for form in ("json", "text", "csv", "markdown"):
        yield Command(f"audit generated {form} --cases", "scratch",
                      ("audit", "generated", "--format", form, "--cases", "--jobs", "2"))
    yield Command("audit generated json", "scratch",
                  ("audit", "generated", "--format", "json", "--jobs", "1"))
    yield Command("audit rule-tests json --cases", "scratch",
                  ("audit", "rule-tests", "--format", "json", "--cases", "--jobs", "2"))


def _rule_commands() -> Iterator[Command]:
    for form in ("text", "junit"):
        yield Command(f"test {form}", "repo", ("test", "--format", form))
        yield Command(f"test rules/ {form}", "repo", ("test", "rules", "--format", form))
    yield Command("rules list", "repo", ("rules", "list"))
    yield Command("rules docs", "repo", ("rules", "docs"))
    for form in ("text", "json", "github"):
        yield Command(f"validate rules examples {form}", "repo",
                      ("validate", "rules", "examples", "--format", form))
    rule_ids = sorted(p.stem for p in (ROOT / "rules/tests").glob("*.yaml"))
    for rule in [*rule_ids, "uc-01"]:  # the last one is misspelt: "did you mean"
        yield Command(f"explain {rule}", "repo", ("explain", rule))


def _other_commands() -> Iterator[Command]:
    for kind in ("case", "rules", "offences", "behaviours", "indicators", "escalation",
                 "manifest"):
        yield Command(f"schema {kind}", "repo", ("schema", kind))
    scenarios = sorted(p.stem for p in (ROOT / "src/chargecheck/scenarios").glob("*.yaml"))
    yield Command("scenarios list", "repo", ("scenarios", "list"))
    for name in scenarios:
        yield Command(f"scenarios show {name}", "repo", ("scenarios", "show", name))
        yield Command(f"scenarios run {name}", "repo", ("scenarios", "run", name, "--no-pause"))
    for args in (("--help",), ("--version",), ("assess", "--help"), ("audit", "--help"),
                 ("assess", "no-such-file.yaml"), ("assess", "examples"),
                 ("assess", "examples/01-seven-websites.yaml", "--set", "nothing"),
                 ("timeline", "no-such-file.yaml"), ("scenarios", "show", "seven-website")):
        yield Command(" ".join(args), "repo", args)


if __name__ == "__main__":
    sys.exit(main())
