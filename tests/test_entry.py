"""The `assess` fast path (chargecheck.cli.entry) must behave exactly as the typer command.

The console script reads a well-formed `assess` line itself and leaves everything else
to typer. These tests run each command line both ways and compare what a user sees,
and check that the fast path knows the typer command's options exactly.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import typer.main

from chargecheck.cli import app, fast_path, runner
from chargecheck.cli.commands import assess
from chargecheck.cli.commands.options import FailOn
from tests.conftest import EXAMPLES, ROOT, run_cli, run_typer

CASE = str(EXAMPLES / "01-seven-websites.yaml")
PACK = str(ROOT / "docs/example-pack")

FAST = [
    ("assess", CASE),
    ("assess", CASE, "--format", "json"),
    ("assess", "--format=json", CASE),
    ("assess", CASE, "--format", "markdown", "--show-names"),
    ("assess", CASE, "--format", "html"),
    ("assess", CASE, "--color", "always"),
    ("assess", CASE, "--color=never", "--format", "markdown"),
    ("assess", CASE, "--explain", "--fail-on", "critical"),
    ("assess", "--explain", CASE, "--format", "json"),
    ("assess", CASE, "--explain", "pha-s4a", "--explain=uc-001"),
    ("assess", CASE, "--explain", "--explain", "pha-s4a", "--format", "markdown"),
    ("assess", CASE, "--explain", "pha-s9"),
    ("assess", "--explain", "pha-s4a", CASE, "--format", "html"),
    ("assess", CASE, "--fail-on=info", "--format", "json"),
    ("assess", CASE, "-q"),
    ("assess", "--quiet", CASE, "--format", "json", "--fail-on", "critical"),
    ("assess", CASE, "--rules", PACK, "--format", "json"),
    ("assess", CASE, "--set", "victims.V1.very_frightened=false", "--set",
     "victims.V1.serious_alarm_or_distress=false"),
    ("assess", str(EXAMPLES / "05-neighbour-dispute.yaml"), "--format", "json"),
    ("assess", "no-such-file.yaml"),
    ("assess", str(ROOT / "README.md")),
]
LEFT_TO_TYPER = [
    ("assess",),
    ("assess", "--help"),
    ("assess", CASE, "--format", "pdf"),
    ("assess", CASE, "--format"),
    ("assess", CASE, "--format="),
    ("assess", CASE, "--fail-on", "HIGH"),
    ("assess", CASE, "--color", "sometimes"),
    ("assess", CASE, CASE),
    ("assess", CASE, "--verbose"),
    ("assess", CASE, "--force=yes"),
    ("assess", CASE, "-q", "--quiet"),
    ("assess", CASE, "--quiet=yes"),
    ("assess", CASE, "--format", "json", "--format", "text"),
    ("assess", "--", CASE),
    ("assess", "--explain", "pha-s4a"),
    ("assess", "--explain"),
]


@pytest.mark.parametrize("args", FAST + LEFT_TO_TYPER, ids=" ".join)
def test_the_console_script_behaves_as_the_typer_command(args: tuple[str, ...]) -> None:
    fast = fast_path.parse_assess(list(args[1:])) is not None
    assert fast == (args in FAST)
    assert run_cli(*args) == run_typer(*args)


def test_output_files_are_the_same_both_ways(tmp_path: Path) -> None:
    fast, slow = tmp_path / "fast.json", tmp_path / "slow.json"
    assert run_cli("assess", CASE, "-o", str(fast), "--format", "json").code == 1
    assert run_typer("assess", CASE, "-o", str(slow), "--format", "json").code == 1
    assert fast.read_text() == slow.read_text()
    again = run_cli("assess", CASE, "--output", str(fast))
    assert (again.code, again.err) == (2, run_typer("assess", CASE, "--output", str(fast)).err)
    assert "exists" in again.err
    assert run_cli("assess", CASE, "--output", str(fast), "--force").code == 1


def test_a_well_formed_line_is_read_without_typer() -> None:
    assert fast_path.parse_assess([CASE, "--format=json", "-o", "out.json", "--rules", "a",
                               "--rules", "b", "--explain", "--set", "x=1"]) == {
        "case": CASE, "output_format": "json", "output": "out.json", "rules": ["a", "b"],
        "explain": [""], "changes": ["x=1"],
    }


@pytest.mark.parametrize("args", [
    [], ["--help"], [CASE, "--format", "pdf"], [CASE, "-ojson"], [CASE, "--output", "-"],
    [CASE, "--rules"], ["-q"], [CASE, "-q", "-q"], [CASE, "-x"], ["--explain", "pha-s4a"],
    [CASE, "--explain=-"],
])
def test_anything_unusual_is_left_to_typer(args: list[str]) -> None:
    assert fast_path.parse_assess(args) is None


@pytest.mark.parametrize("args", [("assess", "-"), ("assess", "-", "--format", "json"),
                                  ("assess", "-", "--fail-on", "never")], ids=" ".join)
def test_a_case_on_standard_input_is_read_the_same_both_ways(args: tuple[str, ...]) -> None:
    assert fast_path.parse_assess(list(args[1:])) is not None
    text = Path(CASE).read_text(encoding="utf-8")
    fast, slow = run_cli(*args, stdin=text), run_typer(*args, stdin=text)
    assert fast == slow
    assert fast.code == (0 if "never" in args else 1), fast.err


def test_the_fast_path_knows_every_option_of_the_typer_command() -> None:
    command = typer.main.get_command(app.app).commands["assess"]  # type: ignore[attr-defined]
    options = [p for p in command.params if p.opts[0].startswith("-")]
    flags = {o: p.name for p in options if p.is_flag for o in p.opts}
    values = {o: p.name for p in options if not p.is_flag for o in p.opts}
    assert flags == fast_path.FLAGS
    assert values == fast_path.VALUES
    assert {p.name for p in options if p.multiple} == fast_path.REPEATABLE
    choices = {"output_format": {f.value for f in assess.OutputFormat},
               "fail_on": {s.value for s in FailOn},
               "color": {c.value for c in assess.ColorMode}}
    assert choices == fast_path.CHOICES
    assert set(inspect.signature(runner.assess).parameters) == {p.name for p in command.params}


def test_shell_completion_is_left_to_typer() -> None:
    completing = run_cli("assess", CASE, "--format", "json",
                         env={"_CHARGECHECK_COMPLETE": "bash_complete"})
    assert "EX-01-SEVEN-WEBSITES" not in completing.out  # typer answered; nothing assessed
