"""The text report at any width: golden pages at 80 and 120 columns and piped.

Each page is the report a pipe receives (`COLUMNS` set, or unset for the 100-column
default), compared with tests/golden/text/<stem>.<width>.txt. Whatever the width, no line
is longer than it and none ends in spaces, and the first screen at 80 columns gives the
answer: the charge recommended and what to do first. Regenerate with
`python tests/update_golden.py` after checking that a change is intended.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chargecheck.cli.runner import colour
from tests.conftest import EXAMPLES, run_cli
from tests.update_golden import TEXT_EXAMPLES, TEXT_GOLDEN, TEXT_WIDTHS, text_report

PIPED_WIDTH = 100


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize("width", TEXT_WIDTHS)
@pytest.mark.parametrize("stem", TEXT_EXAMPLES)
def test_text_report_matches_its_golden_page(stem: str, width: str, cache_dir: str) -> None:
    text = text_report(EXAMPLES / f"{stem}.yaml", width, cache_dir)
    golden = TEXT_GOLDEN / f"{stem}.{width}.txt"
    assert text == golden.read_text(encoding="utf-8"), (
        f"the text report of {stem} at {width} no longer matches {golden.name}; if the change "
        "is intended, run `python tests/update_golden.py` and review the diff")
    limit = PIPED_WIDTH if width == "piped" else int(width)
    for number, line in enumerate(text.splitlines(), 1):
        assert len(line) <= limit, f"line {number} is longer than {limit}: {line!r}"
        assert line == line.rstrip(), f"line {number} ends in spaces: {line!r}"


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_no_line_is_longer_than_the_width_or_ends_in_spaces(example: Path, columns: int) -> None:
    for args in ((), ("--explain",)):
        out = run_cli("assess", str(example), *args, env={"COLUMNS": str(columns)}).out
        for line in out.splitlines():
            assert len(line) <= columns and line == line.rstrip(), repr(line)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_first_screen_at_80_columns_gives_the_answer(example: Path) -> None:
    out = run_cli("assess", str(example), env={"COLUMNS": "80"}).out
    screen = "\n".join(out.splitlines()[:24])
    assert "Recommended:" in screen
    assert "Charged or proposed:" in screen
    assert "Escalation: " in screen
    if "What to do first:" in out:
        assert "What to do first:\n  1. " in screen


def test_below_100_columns_the_ladder_is_a_list() -> None:
    case = str(EXAMPLES / "01-seven-websites.yaml")
    narrow = run_cli("assess", case, env={"COLUMNS": "99"}).out
    wide = run_cli("assess", case, env={"COLUMNS": "100"}).out
    assert "  Harassment, PHA 1997 s.2 (pha-s2)  CHARGED" in narrow
    assert "┃ Offence" not in narrow.split("OFFENCE LADDER")[1]
    assert "┃ Offence" in wide.split("OFFENCE LADDER")[1]


def test_words_statuses_and_ids_are_never_split_at_80_columns() -> None:
    out = run_cli("assess", str(EXAMPLES / "01-seven-websites.yaml"),
                  env={"COLUMNS": "80"}).out
    words = set(out.split())
    for whole in ("Harassment,", "not-supported", "UC-001", "occasions,"):
        assert whole in words or whole not in out
    assert "occasion(s)" not in out
    assert "pha-s2a" not in out.split("OFFENCE LADDER")[0]  # the answer is in words


@pytest.mark.parametrize("choice, coloured", [("always", True), ("never", False)])
def test_color_always_and_never(choice: str, coloured: bool) -> None:
    out = run_cli("assess", str(EXAMPLES / "01-seven-websites.yaml"), "--color", choice).out
    assert ("\x1b[" in out) == coloured


def test_coloured_lines_fit_too() -> None:
    out = run_cli("assess", str(EXAMPLES / "03-knife-threat-pin.yaml"), "--explain", "--color",
                  "always", env={"COLUMNS": "80"}).out
    assert "\x1b[" in out
    for line in out.splitlines():
        shown = re.sub(r"\x1b\[[0-9;]*m", "", line)
        assert len(shown) <= 80 and shown == shown.rstrip() and line == line.rstrip(), repr(line)


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_auto_colours_a_terminal_unless_no_color_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", _Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert colour("auto", None) is True
    assert colour("auto", "report.txt") is False  # a file is never coloured unless asked
    assert colour("never", None) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert colour("auto", None) is False
    assert colour("always", None) is True  # the explicit choice wins
