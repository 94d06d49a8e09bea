"""Hidden characters in case text and keys: decided once (errors.printable), shown alike
in every format, each format adding only its own syntax on top."""

from __future__ import annotations

import html

import pytest

from chargecheck.errors import Problem, printable
from chargecheck.reports.escaping import md, one_line, safe
from chargecheck.reports.html_report import h
from tests.conftest import EXAMPLES, run_cli

# Each drives a terminal, reorders or hides text: C0 (line breaks have their own test),
# ESC, DEL, C1 (NEL, CSI), zero-width space and joiner, right-to-left override and
# isolate, Arabic letter mark, word joiner, soft hyphen, BOM, line separator, a tag.
HIDDEN = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u200b", "\u200d", "\u202e",
          "\u2067", "\u061c", "\u2060", "\u00ad", "\ufeff", "\u2028", "\U000e0041"]
# Shown as they are: letters, signs, and spaces that names and addresses are typed with.
SHOWN = ["a", "é", "ß", "£", "§", "–", "“", "中", "😀", " ", "\u00a0", "\u2009", "\u3000"]


@pytest.mark.parametrize("char", HIDDEN)
def test_a_hidden_character_is_shown_as_its_escape(char: str) -> None:
    escape = repr(char)[1:-1]
    assert escape.startswith("\\") and escape.isprintable()
    assert printable(f"a{char}b") == f"a{escape}b"


@pytest.mark.parametrize("char", SHOWN)
def test_text_people_write_is_left_alone(char: str) -> None:
    assert printable(f"a{char}b") == f"a{char}b"


def test_line_breaks_and_tabs_are_escaped_unless_kept() -> None:
    assert printable("a\nb\tc") == "a\\nb\\tc"
    assert printable("a\nb\tc\r", keep="\t\n") == "a\nb\tc\\r"


def test_a_message_naming_a_hidden_key_stays_on_one_line() -> None:
    shown = str(Problem("case.yaml", 3, ("incidents", 0, "da\u202ete\n"), "unknown key"))
    assert shown == "case.yaml:3: incidents.0.da\\u202ete\\n: unknown key"


@pytest.mark.parametrize("char", HIDDEN)
def test_every_format_hides_what_printable_hides(char: str) -> None:
    escape = printable(char)
    for shown in (safe(f"a{char}b"), one_line(f"a{char}b"), md(f"a{char}b"), h(f"a{char}b")):
        assert char not in shown
        assert escape.replace("\\", "") in shown.replace("\\", "")  # md doubles backslashes


@pytest.mark.parametrize("char", SHOWN)
def test_no_format_hides_what_printable_shows(char: str) -> None:
    for shown in (safe(char), one_line(f"a{char}b"), md(f"a{char}b"), h(f"a{char}b")):
        assert char in shown


def test_each_format_adds_only_its_own_syntax() -> None:
    text = " a\tb\n\n*c* <d> \x1b[1m "
    assert safe(text) == " a\tb\n\n*c* <d> \\x1b[1m "       # lines kept for the report
    assert one_line(text) == "a b *c* <d> \\x1b[1m"          # one line for a cell
    assert md(text) == "a b \\*c\\* \\<d\\> \\\\x1b\\[1m"      # and Markdown's characters
    assert h(text) == html.escape("a b *c* <d> \\x1b[1m")   # or HTML's


def test_a_what_if_change_typed_with_a_control_character_is_shown_escaped() -> None:
    change = "reference=R\u202eEVIL\x1b[2J"
    run = run_cli("assess", str(EXAMPLES / "01-seven-websites.yaml"), "--set", change)
    assert run.code in (0, 1), run.err
    assert "--set reference=R\\u202eEVIL\\x1b[2J" in run.out
    assert "\u202e" not in run.out and "\x1b" not in run.out
