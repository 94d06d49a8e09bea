"""Bad case files: always exit 2 with one clear message naming the file, the line and the
key path; never a traceback, never a report on stdout, never a victim's details echoed.

Each test starts from `VALID` (a small case the tool accepts) and breaks one thing, then
runs the real CLI in a subprocess, as a prosecutor would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, Run, run_cli

VALID = """\
format: 1
reference: T-1
decision_date: 2017-06-01
suspect:
  label: D
  relationship: ex-partner
victims:
  - id: V1
    label: V
    very_frightened: true
incidents:
  - id: I1
    date: 2017-05-01
    behaviours: [contacting]
  - id: I2
    date: 2017-05-08
    behaviours: [following, watching]
    summary: followed V from work
charges:
  - offence: pha-s2
"""
# Lines of VALID, to keep the expectations below readable.
L_FORMAT, L_REFERENCE, L_DECISION, L_SUSPECT_LABEL, L_RELATIONSHIP = 1, 2, 3, 5, 6
L_V1_ID, L_V1_LABEL, L_V1_FRIGHTENED = 8, 9, 10
L_I1_ID, L_I1_DATE, L_I1_BEHAVIOURS, L_I2_ID, L_I2_SUMMARY = 12, 13, 14, 15, 18
L_CHARGE = 20

SECOND_VICTIM = "  - id: V2\n    label: W\nincidents:\n"
SECRET = "Secretperson"  # stands for a victim's or suspect's personal details


def broken(old: str, new: str) -> str:
    """VALID with one piece of it replaced; the piece must occur exactly once."""
    assert VALID.count(old) == 1, f"{old!r} occurs {VALID.count(old)} times in VALID"
    return VALID.replace(old, new)


def assess(path: Path, *options: str, env: dict[str, str] | None = None) -> Run:
    return run_cli("assess", str(path), *options, env=env)


def rejected(path: Path, *options: str, env: dict[str, str] | None = None) -> str:
    """Run the CLI on a bad file; check the exit code and streams; return stderr."""
    result = assess(path, *options, env=env)
    assert result.code == 2, f"exit {result.code}\n{result.err}{result.out}"
    assert "Traceback" not in result.err + result.out
    assert result.out == ""
    assert result.err.strip(), "no message at all"
    return result.err


def write(tmp_path: Path, text: str | bytes, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def check(tmp_path: Path, text: str | bytes, line: int | None, key: str, fragment: str,
          *options: str, env: dict[str, str] | None = None) -> str:
    """The file is refused with `file[:line]: [key: ]...fragment...` on one line of stderr."""
    path = write(tmp_path, text)
    err = rejected(path, *options, env=env)
    where = str(path) if line is None else f"{path}:{line}"
    head = f"error: {where}: " + (f"{key}: " if key else "")
    ours = [entry for entry in err.splitlines() if entry.startswith(head)]
    assert any(fragment in entry for entry in ours), f"wanted {head}...{fragment}\ngot:\n{err}"
    return err


def test_the_valid_starting_point_is_accepted(tmp_path: Path) -> None:
    result = assess(write(tmp_path, VALID))
    assert result.code in (0, 1), result.err
    assert result.err == ""


# --- reading the file ---------------------------------------------------------------------


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    err = rejected(path)
    assert f"error: {path}: no such file" in err


def test_a_directory_instead_of_a_file(tmp_path: Path) -> None:
    err = rejected(tmp_path)
    assert f"error: {tmp_path}: is a directory" in err


@pytest.mark.parametrize("text", ["", "   \n\n  \n"], ids=["empty", "whitespace"])
def test_an_empty_file(tmp_path: Path, text: str) -> None:
    check(tmp_path, text, None, "", "file is empty; expected a YAML mapping")


def test_a_comment_only_file(tmp_path: Path) -> None:
    check(tmp_path, "# a case file, to be written\n\n   # later\n", None, "",
          "holds no YAML document")


def test_an_empty_document(tmp_path: Path) -> None:
    check(tmp_path, "---\n", None, "", "the YAML document is empty")


def test_latin_1_bytes(tmp_path: Path) -> None:
    text = broken("followed V from work", "followed V to the café").encode("latin-1")
    check(tmp_path, text, L_I2_SUMMARY, "", "file is not UTF-8 text (byte 0xe9")


def test_nul_bytes(tmp_path: Path) -> None:
    text = broken("  label: D\n", "  label: D\x00\n").encode()
    check(tmp_path, text, L_SUSPECT_LABEL, "", "file contains NUL bytes")


def test_utf_16(tmp_path: Path) -> None:
    check(tmp_path, VALID.encode("utf-16"), None, "", "file is UTF-16 text; save it as UTF-8")


def test_a_control_character(tmp_path: Path) -> None:
    check(tmp_path, broken("followed V", "followed\x07V"), L_I2_SUMMARY, "",
          "control character U+0007 is not allowed")


def test_a_utf_8_bom_is_accepted(tmp_path: Path) -> None:
    result = assess(write(tmp_path, b"\xef\xbb\xbf" + VALID.encode()))
    assert result.code in (0, 1), result.err
    assert result.err == ""


def test_a_bom_does_not_shift_lines(tmp_path: Path) -> None:
    text = b"\xef\xbb\xbf" + broken("very_frightened: true", "very_frightened: maybe").encode()
    check(tmp_path, text, L_V1_FRIGHTENED, "victims.0.very_frightened", "true or false")


def test_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    result = assess(write(tmp_path, VALID.replace("\n", "\r\n")))
    assert result.code in (0, 1), result.err


def test_windows_line_endings_keep_lines(tmp_path: Path) -> None:
    text = broken("[contacting]", "[contactin]").replace("\n", "\r\n")
    check(tmp_path, text, L_I1_BEHAVIOURS, "incidents.0.behaviours.0",
          "did you mean 'contacting'?")


def test_the_size_limit(tmp_path: Path) -> None:
    err = check(tmp_path, VALID, None, "", "file is larger than the limit of 100 bytes",
                env={"CHARGECHECK_MAX_BYTES": "100"})
    assert "CHARGECHECK_MAX_BYTES" in err


@pytest.mark.parametrize(("spare", "refused"), [(-1, True), (0, False), (1, False)])
def test_the_size_limit_on_the_byte_before_at_and_after(
        tmp_path: Path, spare: int, refused: bool) -> None:
    limit = len(VALID.encode()) + spare  # a byte short of the file, its size, a byte over
    result = assess(write(tmp_path, VALID), env={"CHARGECHECK_MAX_BYTES": str(limit)})
    assert ("file is larger than the limit" in result.err) is refused, result.err
    assert result.code == 2 if refused else result.code in (0, 1)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_an_endless_device_is_refused_at_the_limit() -> None:
    # Its size on disk is 0: reading must stop one byte past the limit, not at the end.
    result = assess(Path("/dev/zero"), env={"CHARGECHECK_MAX_BYTES": "100000"})
    assert result.code == 2
    assert "/dev/zero: file is larger than the limit of 100,000 bytes" in result.err


@pytest.mark.parametrize("name", ["CHARGECHECK_MAX_BYTES", "CHARGECHECK_MAX_DEPTH"])
@pytest.mark.parametrize("value", ["lots", "0", "-5"])
def test_a_limit_that_is_not_a_number(tmp_path: Path, name: str, value: str) -> None:
    err = rejected(write(tmp_path, VALID), env={name: value})
    assert f"error: {name}: must be a whole number above 0" in err


# --- YAML ---------------------------------------------------------------------------------


def test_a_duplicate_top_level_key(tmp_path: Path) -> None:
    check(tmp_path, VALID + "reference: T-2\n", 21, "reference",
          "duplicate key 'reference' (first given on line 2)")


def test_a_duplicate_nested_key(tmp_path: Path) -> None:
    check(tmp_path, broken("    label: V\n", "    label: V\n    label: W\n"), L_V1_LABEL + 1,
          "victims.0.label", "duplicate key 'label' (first given on line 9)")


def test_a_duplicate_key_at_depth(tmp_path: Path) -> None:
    text = VALID + ("safeguarding:\n  orders_in_force: [bail]\n"
                    "  risk_level: high\n  orders_in_force: [spo]\n")
    check(tmp_path, text, 24, "safeguarding.orders_in_force",
          "duplicate key 'orders_in_force' (first given on line 22)")


def test_a_duplicate_key_in_a_flow_mapping(tmp_path: Path) -> None:
    text = VALID + "plea: {offence: pha-s2, offence: pha-s2a}\n"
    check(tmp_path, text, 21, "plea.offence", "duplicate key 'offence'")


@pytest.mark.parametrize(("old", "new", "line"), [
    ("reference: T-1", "reference: [T-1", L_REFERENCE),
    ("    label: V\n", "   label: V\n", L_V1_LABEL),
    ("[contacting]", "[contacting", L_I1_BEHAVIOURS),
    ("summary: followed V from work", 'summary: "followed V from work', L_I2_SUMMARY),
    ("reference: T-1", "reference: T-1: x", L_REFERENCE),
    ("reference: T-1", 'reference: "T-1" x', L_REFERENCE),
], ids=["unclosed-list", "bad-indent", "unclosed-flow", "unclosed-quote", "colon", "after-quote"])
def test_a_yaml_syntax_error(tmp_path: Path, old: str, new: str, line: int) -> None:
    path = write(tmp_path, broken(old, new))
    err = rejected(path)
    assert err.startswith(f"error: {path}:") and "invalid YAML" in err
    assert len(err.strip().splitlines()) == 1, err
    # An unclosed bracket or quote is noticed later; the message then says where it began.
    assert err.startswith(f"error: {path}:{line}: ") or f"that starts on line {line})" in err


@pytest.mark.parametrize(("old", "new", "line"), [
    ("    label: V\n", "\tlabel: V\n", L_V1_LABEL),
    ("  label: D\n", "\tlabel: D\n", L_SUSPECT_LABEL),
    ("  - id: I1\n", "\t- id: I1\n", L_I1_ID),
], ids=["victim", "suspect", "list-item"])
def test_tabs_for_indentation(tmp_path: Path, old: str, new: str, line: int) -> None:
    check(tmp_path, broken(old, new), line, "", "YAML does not allow tabs for indentation")


@pytest.mark.parametrize(("text", "kind"), [
    ("- format: 1\n- reference: T-1\n", "not a list"),
    ("just some words\n", "not a single value"),
    ("42\n", "not a single value"),
], ids=["list", "words", "number"])
def test_the_top_level_is_not_a_mapping(tmp_path: Path, text: str, kind: str) -> None:
    check(tmp_path, text, None, "", "the top level must be a mapping of case fields")
    check(tmp_path, text, None, "", kind)


def test_two_documents(tmp_path: Path) -> None:
    check(tmp_path, VALID + "---\nformat: 1\n", 21, "", "a case file holds one YAML document")


# The classic: nine levels of nine aliases, a billion "lol"s if expanded.
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(("text", "line", "fragment"), [
    (BILLION_LAUGHS, 1, "anchors (&name) are not allowed"),
    (VALID + "plea: *p\n", 21, "aliases (*name) are not allowed"),
    (broken("  label: D\n", "  label: &who D\n"), L_SUSPECT_LABEL, "anchors (&name)"),
    (VALID + "safeguarding:\n  <<: {risk_level: high}\n", 22, "merge keys (<<) are not allowed"),
], ids=["billion-laughs", "alias", "anchor", "merge-key"])
def test_anchors_and_aliases_are_refused_quickly(tmp_path: Path, text: str, line: int,
                                                 fragment: str) -> None:
    started = time.monotonic()
    check(tmp_path, text, line, "", fragment)
    assert time.monotonic() - started < 15  # the subprocess's own limit is 60 s


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!binary", "!custom"])
def test_yaml_tags_are_refused(tmp_path: Path, tag: str) -> None:
    text = broken("reference: T-1", f'reference: {tag} "aGk="')
    check(tmp_path, text, L_REFERENCE, "reference", "YAML tags such as")


def test_deep_nesting_is_refused_with_the_default_limit(tmp_path: Path) -> None:
    # 100,000 levels crashed libyaml's composer (a segmentation fault, no message at all).
    text = VALID + "synthetic: " + "[" * 100_000 + "]" * 100_000 + "\n"
    started = time.monotonic()
    check(tmp_path, text, 21, "synthetic" + ".0" * 40, "nesting is deeper than 40 levels")
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("text", [
    BILLION_LAUGHS, VALID + "synthetic: " + "[" * 100_000 + "]" * 100_000 + "\n"],
    ids=["billion-laughs", "deep-nesting"])
def test_hostile_files_are_refused_by_a_real_process(tmp_path: Path, text: str) -> None:
    # In-process runs cannot see a hard crash of the interpreter; a real process can.
    path = write(tmp_path, text)
    result = run_cli("assess", str(path), isolated=True)
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {path}:") and "Traceback" not in result.err


def _nested_flow(levels: int) -> str:
    return "synthetic: " + "[" * levels + "]" * levels + "\n"


def _nested_block(levels: int) -> str:
    return "synthetic:\n" + "".join(" " * (n + 1) + f"k{n}:\n" for n in range(levels)) + (
        " " * (levels + 1) + "x\n")


# libyaml has a nesting limit of its own (PyYAML 6.0.4) that it can reach while scanning
# ahead, before our reader sees the level that breaks ours: whatever the parser, the
# limit a user meets must be ours, with the file, line and key.
@pytest.mark.parametrize("levels", [41, 999, 1_001, 1_500])
@pytest.mark.parametrize("shape", [_nested_flow, _nested_block], ids=["flow", "block"])
def test_our_depth_limit_comes_before_the_parsers(
        tmp_path: Path, shape: Callable[[int], str], levels: int) -> None:
    prefix = "synthetic" + (".0" * 40 if shape is _nested_flow else "".join(
        f".k{n}" for n in range(40)))
    check(tmp_path, VALID + shape(levels), 21 if shape is _nested_flow else 62, prefix,
          "nesting is deeper than 40 levels")


def test_our_depth_limit_holds_deep_inside_a_long_file(tmp_path: Path) -> None:
    padding = "".join(f"# note {n}: padding to push the nesting far into the file\n"
                      for n in range(2_000))
    check(tmp_path, VALID + padding + _nested_flow(3_000), 2_021, "synthetic" + ".0" * 40,
          "nesting is deeper than 40 levels")


def test_the_highest_depth_limit_is_still_ours(tmp_path: Path) -> None:
    ceiling = {"CHARGECHECK_MAX_DEPTH": "500"}
    check(tmp_path, VALID + _nested_flow(1_200), 21, "synthetic" + ".0" * 500,
          "nesting is deeper than 500 levels", env=ceiling)
    # Within the limit the nesting is read, and the file fails on its meaning instead.
    err = rejected(write(tmp_path, VALID + _nested_flow(450)), env=ceiling)
    assert "nesting" not in err and f"{tmp_path / 'case.yaml'}:21: synthetic: " in err


def test_a_depth_limit_above_the_ceiling_is_refused(tmp_path: Path) -> None:
    err = rejected(write(tmp_path, VALID), env={"CHARGECHECK_MAX_DEPTH": "501"})
    assert "error: CHARGECHECK_MAX_DEPTH: must be at most 500; got 501" in err


def test_the_depth_limit_can_be_set(tmp_path: Path) -> None:
    text = VALID + "synthetic: " + "[" * 20 + "]" * 20 + "\n"
    err = check(tmp_path, text, 21, "synthetic" + ".0" * 14, "nesting is deeper than 14 levels",
                env={"CHARGECHECK_MAX_DEPTH": "14"})
    assert "CHARGECHECK_MAX_DEPTH" in err


@pytest.mark.parametrize("rules", [[], ["--rules", str(ROOT / "docs/example-pack")]],
                         ids=["bundled", "pack"])
def test_a_low_depth_limit_for_case_files_leaves_the_rule_files_alone(rules: list[str]) -> None:
    # The rule files nest deeper than a flat case file needs; hardening case reading
    # with a low limit must not make the rule set unreadable (nor its cache hide that).
    env = {"CHARGECHECK_MAX_DEPTH": "6", "CHARGECHECK_NO_CACHE": "1"}
    example = str(ROOT / "examples/01-seven-websites.yaml")
    result = run_cli("assess", example, "--format", "json", *rules, env=env)
    assert result.code in (0, 1), result.err
    assert run_cli("validate", str(ROOT / "rules"), *rules[1:], env=env).code == 0
    # A bundled scenario holds its case one level down: the case passes at 4, so must it.
    shallow = {**env, "CHARGECHECK_MAX_DEPTH": "4"}
    assert run_cli("assess", example, "--format", "json", *rules, env=shallow).code in (0, 1)
    assert run_cli("scenarios", "show", "seven-websites", env=shallow).code == 0


def test_huge_numbers_are_input_errors(tmp_path: Path) -> None:
    text = broken("    behaviours: [contacting]\n",
                  "    behaviours: [contacting]\n    count: " + "9" * 5000 + "\n")
    check(tmp_path, text, L_I1_BEHAVIOURS + 1, "incidents.0.count", "too many digits")


# --- the case's structure -----------------------------------------------------------------


def test_format_2_is_refused_on_its_own(tmp_path: Path) -> None:
    text = broken("format: 1", "format: 2") + "new_field_of_format_2: x\n"
    err = check(tmp_path, text, L_FORMAT, "format", "format must be 1")
    assert "got 2" in err
    assert len(err.strip().splitlines()) == 1  # not judged against the wrong contract


@pytest.mark.parametrize("value", ['"1"', "true", "1.0"])
def test_format_must_be_the_number_1(tmp_path: Path, value: str) -> None:
    check(tmp_path, broken("format: 1", f"format: {value}"), L_FORMAT, "format",
          "format must be 1")


def test_format_missing(tmp_path: Path) -> None:
    check(tmp_path, broken("format: 1\n", ""), None, "format", "required key is missing")


@pytest.mark.parametrize("value", ["scotland", "Scotland", "northern-ireland"])
def test_another_jurisdiction_is_refused_with_the_reason(tmp_path: Path, value: str) -> None:
    text = broken("decision_date:", f"jurisdiction: {value}\ndecision_date:")
    err = check(tmp_path, text, L_DECISION, "jurisdiction", "is not supported")
    for reason in ("England and Wales only", "the law differs", "Scotland: CJLSA 2010 s.39",
                   "Northern Ireland: Protection from Stalking Act (NI) 2022"):
        assert reason in err


def test_england_spelt_differently_is_corrected_not_refused(tmp_path: Path) -> None:
    text = broken("decision_date:", "jurisdiction: England and Wales\ndecision_date:")
    check(tmp_path, text, L_DECISION, "jurisdiction",
          "write jurisdiction as 'england-and-wales'")


@pytest.mark.parametrize(("old", "new", "line", "key", "suggestion"), [
    ("victims:", "victms:", 7, "victms", "'victims'"),
    ("    very_frightened: true", "    very_frightend: true", L_V1_FRIGHTENED,
     "victims.0.very_frightend", "'very_frightened'"),
    ("  relationship: ex-partner", "  relation: ex-partner", L_RELATIONSHIP,
     "suspect.relation", "'relationship'"),
    ("    behaviours: [contacting]", "    behaviour: [contacting]", L_I1_BEHAVIOURS,
     "incidents.0.behaviour", "'behaviours'"),
    ("  - offence: pha-s2", "  - ofence: pha-s2", L_CHARGE, "charges.0.ofence", "'offence'"),
], ids=["top-level", "victim", "suspect", "incident", "charge"])
def test_an_unknown_key_suggests_the_right_one(tmp_path: Path, old: str, new: str, line: int,
                                               key: str, suggestion: str) -> None:
    err = check(tmp_path, broken(old, new), line, key,
                f"unknown key {key.split('.')[-1]!r}; did you mean {suggestion}?")
    assert "required key is missing" not in err  # the suggestion already says it


def test_an_unknown_key_with_nothing_close_lists_the_keys(tmp_path: Path) -> None:
    text = broken("    label: V\n", "    label: V\n    colour: blue\n")
    check(tmp_path, text, L_V1_LABEL + 1, "victims.0.colour",
          "unknown key 'colour' (allowed here: id, label, name")


@pytest.mark.parametrize(("old", "new", "line", "key", "fragment"), [
    ("[contacting]", "[folowing]", L_I1_BEHAVIOURS, "incidents.0.behaviours.0",
     "'folowing' is not one of the allowed words; did you mean 'following'?"),
    ("[following, watching]", "[folowing, watching]", 17, "incidents.1.behaviours.0",
     "did you mean 'following'?"),
    ("[following, watching]", "[following, wathcing]", 17, "incidents.1.behaviours.1",
     "did you mean 'watching'?"),
    ("relationship: ex-partner", "relationship: expartner", L_RELATIONSHIP,
     "suspect.relationship", "did you mean 'ex-partner'?"),
    ("offence: pha-s2", "offence: pha-2", L_CHARGE, "charges.0.offence",
     "did you mean 'pha-s2'?"),
    ("[contacting]", "[Contacting]", L_I1_BEHAVIOURS, "incidents.0.behaviours.0",
     "did you mean 'contacting'?"),
], ids=["folowing", "folowing-in-list", "second-item", "relationship", "offence", "case"])
def test_a_misspelt_word_suggests_the_right_one(tmp_path: Path, old: str, new: str,
                                                line: int, key: str, fragment: str) -> None:
    check(tmp_path, broken(old, new), line, key, fragment)


def test_a_word_with_nothing_close_lists_the_words(tmp_path: Path) -> None:
    text = broken("    behaviours: [contacting]\n",
                  "    behaviours: [contacting]\n    channel: pigeon\n")
    check(tmp_path, text, L_I1_BEHAVIOURS + 1, "incidents.0.channel",
          "'pigeon' is not one of the allowed words (in-person, phone, text, email")


@pytest.mark.parametrize(("old", "new", "line", "key", "fragment"), [
    ("reference: T-1", "reference:", L_REFERENCE, "reference",
     "must be text; got nothing (an empty value)"),
    ("reference: T-1", "reference: ''", L_REFERENCE, "reference", "must not be empty"),
    ("reference: T-1", "reference: 20170042", L_REFERENCE, "reference",
     "must be text; got 20170042 (put it in quotes"),
    ("victims:\n  - id: V1\n    label: V\n    very_frightened: true\n", "victims: []\n", 7,
     "victims", "must list at least one item"),
    ("[contacting]", "[]", L_I1_BEHAVIOURS, "incidents.0.behaviours",
     "must list at least one item"),
    ("[contacting]", "contacting", L_I1_BEHAVIOURS, "incidents.0.behaviours",
     "must be a list, written [a, b]"),
    ("    date: 2017-05-01\n", "", L_I1_ID, "incidents.0.date", "required key is missing"),
    ("  - id: V1\n    label: V\n", "  - label: V\n", L_V1_ID, "victims.0.id",
     "required key is missing"),
    ("  - id: V1\n", "  - id: 1\n", L_V1_ID, "victims.0.id",
     "must be text; got 1 (put it in quotes"),
    ("  label: D", "  label: ''", L_SUSPECT_LABEL, "suspect.label", "must not be empty"),
    ("  - offence: pha-s2\n", "  - pha-s2\n", L_CHARGE, "charges.0",
     "must be a mapping of keys and values"),
], ids=["reference-missing", "reference-empty", "reference-number", "no-victims",
        "no-behaviours", "behaviours-not-list", "no-date", "no-id", "numeric-id", "empty-label",
        "charge-not-mapping"])
def test_structure_errors(tmp_path: Path, old: str, new: str, line: int, key: str,
                          fragment: str) -> None:
    check(tmp_path, broken(old, new), line, key, fragment)


def test_several_problems_are_all_reported_in_line_order(tmp_path: Path) -> None:
    text = broken("very_frightened: true", "very_frightened: yes").replace(
        "[contacting]", "[folowing]")
    path = write(tmp_path, text)
    err = rejected(path)
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(f"error: {path}:{L_V1_FRIGHTENED}: ")
    assert lines[1].startswith(f"error: {path}:{L_I1_BEHAVIOURS}: ")


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize(("old", "new", "line", "key", "fragment"), [
    ("[contacting]", "[folowing]", L_I1_BEHAVIOURS, "incidents.0.behaviours.0", "did you mean"),
    ("reference: T-1", "reference: T-1: x", L_REFERENCE, "", "invalid YAML"),
    ("  label: D\n", "\tlabel: D\n", L_SUSPECT_LABEL, "", "tabs"),
    ("very_frightened: true", "very_frightened: yes", L_V1_FRIGHTENED,
     "victims.0.very_frightened", "true or false"),
], ids=["vocabulary", "syntax", "tab", "yes-no"])
def test_errors_are_the_same_whatever_the_output_format(
        tmp_path: Path, fmt: str, old: str, new: str, line: int, key: str, fragment: str) -> None:
    check(tmp_path, broken(old, new), line, key, fragment, "--format", fmt)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_missing_file_whatever_the_output_format(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "nowhere.yaml"
    assert f"error: {path}: no such file" in rejected(path, "--format", fmt)


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "fragment"), [
    ("07/05/2017", "got '07/05/2017'"),
    ("05/07/2017", "got '05/07/2017'"),
    ("5 July 2017", "got '5 July 2017'"),
    ("2017-5-7", "got '2017-5-7'"),
    ("20170507", "got 20170507"),
    ("2017-05-07T10:00:00", "got '2017-05-07T10:00:00' (leave out the time)"),
    ("2017-05-07 10:00", "(leave out the time)"),
    ('"2017-05-07"', "got '2017-05-07'"),
], ids=["dd/mm", "mm/dd", "words", "unpadded", "no-dashes", "datetime", "datetime-space",
        "quoted"])
def test_a_date_not_written_iso(tmp_path: Path, value: str, fragment: str) -> None:
    err = check(tmp_path, broken("date: 2017-05-01", f"date: {value}"), L_I1_DATE,
                "incidents.0.date", "dates must be written YYYY-MM-DD (for example 2017-05-07)")
    assert fragment in err


def test_a_decision_date_not_written_iso(tmp_path: Path) -> None:
    check(tmp_path, broken("decision_date: 2017-06-01", "decision_date: 1/6/2017"),
          L_DECISION, "decision_date", "dates must be written YYYY-MM-DD")


@pytest.mark.parametrize("value", ["2017-02-30", "2017-13-01", "2017-04-31", "2017-00-10"])
def test_an_impossible_date(tmp_path: Path, value: str) -> None:
    check(tmp_path, broken("date: 2017-05-01", f"date: {value}"), L_I1_DATE,
          "incidents.0.date", f"{value} is not a real date")


@pytest.mark.parametrize(("old", "new", "line", "key"), [
    ("date: 2017-05-01", "date: 0017-05-01", L_I1_DATE, "incidents.0.date"),
    ("date: 2017-05-01", "date: 1017-05-01", L_I1_DATE, "incidents.0.date"),
    ("decision_date: 2017-06-01", "decision_date: 9999-12-31", L_DECISION, "decision_date"),
    ("decision_date: 2017-06-01", "decision_date: 2107-06-01", L_DECISION, "decision_date"),
], ids=["year-17", "year-1017", "year-9999", "year-2107"])
def test_an_implausible_year(tmp_path: Path, old: str, new: str, line: int, key: str) -> None:
    check(tmp_path, broken(old, new), line, key, "is not between 1900 and 2100; check the year")


def test_end_date_before_date(tmp_path: Path) -> None:
    text = broken("    date: 2017-05-01\n", "    date: 2017-05-01\n    end_date: 2017-04-01\n")
    check(tmp_path, text, L_I1_DATE + 1, "incidents.0.end_date",
          "end_date 2017-04-01 is before date 2017-05-01")


def test_an_incident_after_the_decision_date(tmp_path: Path) -> None:
    check(tmp_path, broken("date: 2017-05-08", "date: 2017-07-08"), 16, "incidents.1.date",
          "incident date 2017-07-08 is after the decision_date 2017-06-01")


def test_an_end_date_after_the_decision_date(tmp_path: Path) -> None:
    text = broken("    date: 2017-05-01\n", "    date: 2017-05-01\n    end_date: 2017-07-01\n")
    check(tmp_path, text, L_I1_DATE + 1, "incidents.0.end_date",
          "end_date 2017-07-01 is after the decision_date 2017-06-01")


def test_an_incident_in_the_future_when_the_decision_is_today(tmp_path: Path) -> None:
    text = broken("decision_date: 2017-06-01\n", "").replace("2017-05-08", "2099-05-08")
    check(tmp_path, text, 15, "incidents.1.date",
          "is after today (no decision_date is given)")


# --- numbers and yes/no facts -------------------------------------------------------------


@pytest.mark.parametrize(("value", "fragment"), [
    ("0", "must be 1 or more; got 0"),
    ("-1", "must be 1 or more; got -1"),
    ("1.5", "must be a whole number; got 1.5"),
    ("many", "must be a whole number; got 'many'"),
    ('"3"', "must be a whole number; got '3'"),
    ("2000000", "must be 1000000 or less; got 2000000"),
    ("[3]", "must be a whole number; got a list"),
], ids=["zero", "negative", "fraction", "word", "quoted", "huge", "list"])
def test_a_bad_count(tmp_path: Path, value: str, fragment: str) -> None:
    text = broken("    behaviours: [contacting]\n",
                  f"    behaviours: [contacting]\n    count: {value}\n")
    check(tmp_path, text, L_I1_BEHAVIOURS + 1, "incidents.0.count", fragment)


@pytest.mark.parametrize(("value", "shown"), [
    ('"yes"', "'yes'"), ("'true'", "'true'"), ("yes", "'yes'"), ("no", "'no'"),
    ("on", "'on'"), ("off", "'off'"), ("Yes", "'Yes'"), ("y", "'y'"), ("1", "1"),
    ("not known", "'not known'"),
], ids=["quoted-yes", "quoted-true", "yes", "no", "on", "off", "Yes", "y", "one", "words"])
def test_a_yes_no_fact_that_is_not_true_or_false(tmp_path: Path, value: str,
                                                 shown: str) -> None:
    err = check(tmp_path, broken("very_frightened: true", f"very_frightened: {value}"),
                L_V1_FRIGHTENED, "victims.0.very_frightened",
                "must be true or false (leave it out if not known)")
    assert f"got {shown}" in err


def test_a_nested_yes_no_fact(tmp_path: Path) -> None:
    text = VALID + "safeguarding:\n  marac_referral: no\n"
    check(tmp_path, text, 22, "safeguarding.marac_referral", "must be true or false")


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "false", "~", "null", ""])
def test_yes_no_spellings_that_are_accepted(tmp_path: Path, value: str) -> None:
    result = assess(write(tmp_path, broken("very_frightened: true",
                                           f"very_frightened: {value}")))
    assert result.code in (0, 1), result.err


# --- ids and cross-references -------------------------------------------------------------


def test_duplicate_victim_ids(tmp_path: Path) -> None:
    text = broken("incidents:\n", SECOND_VICTIM.replace("V2", "V1")).replace(
        "    behaviours:", "    victims: [V1]\n    behaviours:")
    check(tmp_path, text, 11, "victims.1.id",
          "duplicate id 'V1' (first used at victims.0, line 8)")


def test_duplicate_incident_ids(tmp_path: Path) -> None:
    check(tmp_path, broken("id: I2", "id: I1"), L_I2_ID, "incidents.1.id",
          "duplicate id 'I1' (first used at incidents.0, line 12)")


@pytest.mark.parametrize(("ref", "fragment"), [
    ("v1", "no victim has id 'v1'; did you mean 'V1'?"),
    ("V01", "did you mean 'V1'?"),
    ("Victim-9", "no victim has id 'Victim-9' (victim ids: V1)"),
])
def test_an_incident_naming_an_undefined_victim(tmp_path: Path, ref: str,
                                                fragment: str) -> None:
    text = broken("    behaviours: [contacting]\n",
                  f"    victims: [{ref}]\n    behaviours: [contacting]\n")
    check(tmp_path, text, L_I1_BEHAVIOURS, "incidents.0.victims.0", fragment)


def test_a_charge_naming_an_undefined_victim(tmp_path: Path) -> None:
    text = broken("  - offence: pha-s2\n", "  - offence: pha-s2\n    victims: [V2]\n")
    check(tmp_path, text, L_CHARGE + 1, "charges.0.victims.0",
          "no victim has id 'V2' (victim ids: V1)")


def test_several_victims_but_an_incident_not_naming_them(tmp_path: Path) -> None:
    text = broken("incidents:\n", SECOND_VICTIM).replace(
        "    behaviours: [contacting]", "    victims: [V1]\n    behaviours: [contacting]")
    path = write(tmp_path, text)
    err = rejected(path)
    # I2 (line 18) and the charge (line 23) name no victim; I1 does.
    assert (f"error: {path}:18: incidents.1.victims: required when the case has more than "
            "one victim: list which of V1, V2 this concerns") in err
    assert f"error: {path}:23: charges.0.victims: required when the case" in err
    assert "incidents.0" not in err


def test_an_empty_victims_list_on_an_incident(tmp_path: Path) -> None:
    text = broken("    behaviours: [contacting]\n",
                  "    victims: []\n    behaviours: [contacting]\n")
    check(tmp_path, text, L_I1_BEHAVIOURS, "incidents.0.victims",
          "must name at least one victim")


# --- privacy: free text is never echoed ----------------------------------------------------


PRIVATE = [
    ("    label: V\n", f"    label: V\n    name: {{first: Jane, last: {SECRET}}}\n",
     L_V1_LABEL + 1, "victims.0.name", "must be text; got a mapping"),
    ("    label: V\n", f"    label: V\n    name: [Jane, {SECRET}]\n",
     L_V1_LABEL + 1, "victims.0.name", "must be text; got a list"),
    ("  label: D\n", f"  label: D\n  name: [{SECRET}, 12 High St]\n",
     L_SUSPECT_LABEL + 1, "suspect.name", "must be text; got a list"),
    ("    label: V\n", f"    label: {SECRET} of 12 High Street, Anytown, AB1 2CD, 1985{'.' * 20}\n",
     L_V1_LABEL, "victims.0.label", "must be at most 64 characters"),
    ("  label: D\n", f"  label: [{SECRET}]\n",
     L_SUSPECT_LABEL, "suspect.label", "must be text; got a list"),
    ("summary: followed V from work", f"summary: {{victim: {SECRET}, address: 1 High St}}",
     L_I2_SUMMARY, "incidents.1.summary", "must be text; got a mapping"),
    ("summary: followed V from work", f"summary: followed V\n    evidence: {SECRET}'s diary",
     L_I2_SUMMARY + 1, "incidents.1.evidence", "must be a list, written [a, b]"),
    ("summary: followed V from work",
     f"summary: followed V\n    evidence: [cctv, {{by: {SECRET}}}]",
     L_I2_SUMMARY + 1, "incidents.1.evidence.1", "must be text; got a mapping"),
    ("  relationship: ex-partner\n",
     f"  relationship: ex-partner\n  history:\n    - kind: pin\n      note: [{SECRET}]\n",
     L_RELATIONSHIP + 3, "suspect.history.0.note", "must be text; got a list"),
    ("charges:", f"plea:\n  offence: pha-s2\n  reasons: {{said_by: {SECRET}}}\ncharges:",
     21, "plea.reasons", "must be text; got a mapping"),
    ("  - id: V1\n    label: V\n    very_frightened: true\n",
     f"  - {SECRET}, 34, lives at 12 High Street\n",
     L_V1_ID, "victims.0", "must be a mapping of keys and values; got text"),
    ("suspect:\n  label: D\n  relationship: ex-partner\n",
     f"suspect: {SECRET}\n",
     4, "suspect", "must be a mapping of keys and values; got text"),
    ("very_frightened: true", f"very_frightened: {SECRET} said she was terrified",
     L_V1_FRIGHTENED, "victims.0.very_frightened", "must be true or false"),
    ("date: 2017-05-01", f"date: the day {SECRET} moved house", L_I1_DATE,
     "incidents.0.date", "dates must be written YYYY-MM-DD"),
    ("[contacting]", f"[followed {SECRET} home from work]", L_I1_BEHAVIOURS,
     "incidents.0.behaviours.0", "is not one of the allowed words"),
]


@pytest.mark.parametrize(("old", "new", "line", "key", "fragment"), PRIVATE,
                         ids=[case[3] for case in PRIVATE])
def test_free_text_is_never_echoed(tmp_path: Path, old: str, new: str, line: int, key: str,
                                   fragment: str) -> None:
    err = check(tmp_path, broken(old, new), line, key, fragment)
    assert SECRET not in err
    assert "High St" not in err


def test_names_recorded_in_a_bad_file_are_not_printed(tmp_path: Path) -> None:
    text = broken("    label: V\n", f"    label: V\n    name: Jane {SECRET}\n").replace(
        "  label: D\n", f"  label: D\n  name: John {SECRET}\n").replace(
        "[contacting]", "[folowing]")
    err = check(tmp_path, text, L_I1_BEHAVIOURS + 2, "incidents.0.behaviours.0",
                "did you mean")
    assert SECRET not in err
