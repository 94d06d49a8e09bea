"""`chargecheck new`: the intake, driven through a real pseudo-terminal as a user would:
wait for each prompt, type the answer (tests/terminal.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import get_args

import pytest

from chargecheck.case import model
from chargecheck.case.loading import load_case
from chargecheck.cli.intake import Back, Prompter, Retry, a_date, fact, text, word, words
from tests.conftest import run_cli
from tests.terminal import Terminal, start, terminals

__all__ = ["terminals"]  # the fixture, imported for pytest

# Prompt (or part of it) and the answer typed, in order: a two-incident stalking case.
# Blank answers take the default or leave an unknown fact out.
FILE = [("Case reference:", "INTAKE-1"), ("Decision date", "2024-06-30"),
        ("training case", "yes")]
PARTIES = [("Suspect label", ""), ("relationship to the victim", "ex-partner"),
           ("live together", "yes"), ("Date they separated", "2024-01-05"),
           ("earlier police or court response", "no"), ("Victim V1 label", "V"),
           ("made clear the conduct was unwanted", "2024-01-06"),
           ("Add another victim?", "no")]
INCIDENT_1 = [("Last date", "2024-03-31"), ("Number of acts", "60"),
              ("Behaviours", "contacting"), ("Channel", "text"), ("fear violence", "no"),
              ("Hostility", ""), ("Summary", "About 60 texts after V said stop"),
              ("Evidence of I1", "screenshots, phone download"),
              ("Add another incident?", "yes")]
INCIDENT_2 = [("Incident I2 date", "2024-04-12"), ("Last date", ""), ("Number of acts", ""),
              ("Behaviours", "turnin-up")]
INCIDENT_2_END = [("Channel", "in-person"), ("fear violence", "yes"), ("Hostility", ""),
                  ("Summary", "D waits outside V's home at night"), ("Evidence of I2", ""),
                  ("Add another incident?", "no")]
IMPACT = [("very frightened", "yes"), ("serious alarm or distress", "yes"),
          ("daily life changed", "changed-routine, installed-security"),
          ("only for others", "no"), ("support the prosecution", "yes"),
          ("Victim Personal Statement", "unknown")]
CHARGES = [("any charge laid or proposed", "yes"), ("Offence (", "harassment"), ("Status", ""),
           ("Add another charge?", "no"), ("offered a plea", "no")]
SAFEGUARDING = [("Risk assessment", "dash"), ("Risk level", "medium"),
                ("risk management plan", "yes"), ("bail conditions", "yes"),
                ("restraining order application", "no"), ("Stalking protection order", "none"),
                ("MARAC referral", "no"), ("ISAC or IDVA", "unknown"),
                ("Orders in force", "bail"), ("Write case.yaml?", "yes")]


def answer_all(terminal: Terminal, steps: list[tuple[str, str]]) -> None:
    for prompt, reply in steps:
        terminal.answer(prompt, reply)


def test_intake_through_a_terminal_writes_a_valid_case(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    term = start(terminals, "new", "case.yaml", cwd=tmp_path)
    answer_all(term, FILE + PARTIES)
    term.answer("Incident I1 date", "05/02/2024")  # day/month order is never guessed
    term.expect("dates must be written YYYY-MM-DD")
    term.answer("Incident I1 date", "2024-02-05")
    answer_all(term, INCIDENT_1 + INCIDENT_2)
    term.answer("did you mean 'turning-up'? [Y/n]", "n")  # declined: typed afresh
    term.answer("Behaviours", "turning-up, watching")
    answer_all(term, INCIDENT_2_END + IMPACT + CHARGES + SAFEGUARDING)
    term.expect("Wrote case.yaml")
    term.expect("Recommended: ")  # the assessment's bottom line
    assert term.finish() == 0

    written = (tmp_path / "case.yaml").read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]  # the draft is gone
    case = load_case(str(tmp_path / "case.yaml"))
    assert [i.id for i in case.incidents] == ["I1", "I2"]
    assert case.incidents[0].evidence == ["screenshots", "phone download"]
    assert case.incidents[1].behaviours == ["turning-up", "watching"]
    assert case.incidents[0].count == 60 and case.synthetic is True
    victim = case.victims[0]
    assert victim.very_frightened is True
    assert victim.personal_statement is None  # "unknown" leaves the fact out
    assert case.safeguarding.specialist_advocate is None
    assert [c.offence for c in case.charges] == ["pha-s2"]
    assessed = run_cli("assess", str(tmp_path / "case.yaml"))
    assert assessed.code in (0, 1), assessed.err
    assert "INTAKE-1" in assessed.out and "Traceback" not in assessed.err


def interrupt(term: Terminal, prompt: str) -> None:
    """Ctrl-C at `prompt`. Type at human speed: a SIGINT that lands between the prompt being
    written and input() starting its read is only acted on after the next line (a CPython
    race)."""
    term.expect(prompt)
    time.sleep(0.5)
    os.write(term.fd, b"\x03")


def test_ctrl_c_after_ten_answers_resumes_at_the_eleventh(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    ten = (FILE + PARTIES)[:10]
    term = start(terminals, "new", "case.yaml", cwd=tmp_path)
    answer_all(term, ten)
    interrupt(term, "(11) Add another victim?")
    term.expect("Stopped.")
    term.expect("the 10 answers so far are in case.yaml.draft")
    assert term.finish() == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml.draft"]
    assert "interrupted" not in term.seen  # (the terminal itself echoes ^C)

    again = start(terminals, "new", "case.yaml", "--resume", cwd=tmp_path)
    again.expect("Resuming: 10 answers kept")
    again.answer("(11) Add another victim?", "no")  # straight to the eleventh question
    assert "(10)" not in again.seen and "Case reference" not in again.seen
    again.answer("Incident I1 date", "2024-02-05")
    answer_all(again, [*INCIDENT_1[:-1], ("Add another incident?", "no"), *IMPACT, *CHARGES,
                       *SAFEGUARDING])
    again.expect("Wrote case.yaml")
    assert again.finish() == 0
    case = load_case(str(tmp_path / "case.yaml"))  # nothing typed before Ctrl-C was lost
    assert case.reference == "INTAKE-1" and case.suspect.separated_on is not None
    assert case.victims[0].label == "V"
    assert case.victims[0].made_clear_unwanted_on is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]
    checked = run_cli("validate", str(tmp_path / "case.yaml"))
    assert checked.code == 0, checked.out + checked.err
    assessed = run_cli("assess", str(tmp_path / "case.yaml"))
    assert assessed.code in (0, 1) and "INTAKE-1" in assessed.out


def test_back_changes_an_earlier_answer_and_enter_takes_a_suggestion(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    term = start(terminals, "new", "case.yaml", cwd=tmp_path)
    answer_all(term, [*FILE, ("Suspect label", "")])
    term.answer("relationship to the victim", "neighbour")
    term.answer("live together", "b")  # back: the relationship is asked again
    term.answer("(5) Suspect's relationship", "ex-partnr")
    term.answer("did you mean 'ex-partner'? [Y/n]", "")  # Enter accepts it
    answer_all(term, PARTIES[2:])
    term.answer("Incident I1 date", "2024-02-05")
    answer_all(term, INCIDENT_1[:2])
    term.answer("Behaviours", "texting")
    term.answer("did you mean 'contacting'? [Y/n]", "")
    answer_all(term, [*INCIDENT_1[3:-1], ("Add another incident?", "no"), *IMPACT])
    term.answer("any charge laid or proposed", "yes")
    term.answer("Offence (", "s.4A")
    term.expect("= pha-s4a: Stalking involving fear of violence")
    answer_all(term, CHARGES[2:] + SAFEGUARDING[:-1])
    term.answer("Write case.yaml?", "yes")
    term.expect("Wrote case.yaml")
    assert term.finish() == 0
    case = load_case(str(tmp_path / "case.yaml"))
    assert case.suspect.relationship == "ex-partner"
    assert case.incidents[0].behaviours == ["contacting"]
    assert [c.offence for c in case.charges] == ["pha-s4a"]


def test_end_of_input_mid_way_keeps_the_answers_in_the_draft(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    term = start(terminals, "new", "case.yaml", cwd=tmp_path)
    answer_all(term, FILE)
    term.expect("Suspect label")
    os.write(term.fd, b"\x04")  # Ctrl-D at the start of a line: end of input
    term.expect("nothing was written to case.yaml")
    assert term.finish() == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml.draft"]


def test_a_draft_is_never_started_over_by_accident(tmp_path: Path) -> None:
    (tmp_path / "case.yaml.draft").write_text("draft: 1\nanswers: [REF]\n", encoding="utf-8")
    result = run_cli("new", str(tmp_path / "case.yaml"))
    assert result.code == 2 and "--resume" in result.err
    assert (tmp_path / "case.yaml.draft").read_text(encoding="utf-8").endswith("[REF]\n")


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = run_cli("new", str(target))
    assert result.code == 2
    assert "file exists; use --force" in result.err
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_force_still_keeps_the_old_file_if_the_intake_stops(tmp_path: Path) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = run_cli("new", str(target), "--force", stdin="REF-1\n")
    assert result.code == 2 and "nothing was written" in result.err
    assert "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml", "case.yaml.draft"]
    assert target.read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.parametrize("answer", ["05/07/2017", "5 July 2017", "2017-02-30", "2107-01-01"])
def test_a_date_that_cannot_be_used_is_refused(answer: str) -> None:
    with pytest.raises(Retry):
        a_date(required=True)(answer)


def test_unknown_is_left_out_and_none_is_recorded() -> None:
    assert fact("unknown") is None and fact("") is None and fact("Yes") is True
    effects = words(("moved-home", "other"))
    assert effects("") is None and effects("none") == [] and effects("other") == ["other"]


def test_a_word_in_the_wrong_case_is_refused_alike_in_a_file_and_the_intake(
        tmp_path: Path) -> None:
    """One source for what is accepted: the model. `DASH` gets the loader's message."""
    case = tmp_path / "dash.yaml"
    case.write_text("format: 1\nreference: X\nvictims: [{id: V1}]\nincidents: [{id: I1, "
                    "date: 2024-01-01, behaviours: [following]}]\n"
                    "safeguarding: {risk_assessment: DASH}\n", encoding="utf-8")
    in_file = run_cli("validate", str(case))
    expected = "'DASH' is not one of the allowed words; did you mean 'dash'?"
    assert expected in in_file.out + in_file.err
    with pytest.raises(Retry, match=expected.replace("?", r"\?")):
        word(tuple(get_args(model.RiskTool)), required=False)("DASH")


def test_the_list_of_words_has_meanings_wrapped_between_words(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    term = start(terminals, "new", "case.yaml", cwd=tmp_path)
    answer_all(term, [*FILE, *PARTIES])
    term.answer("Incident I1 date", "2024-02-05")
    answer_all(term, INCIDENT_1[:2])
    term.answer("Behaviours", "?")
    term.expect("enlisting-others")
    shown = term.seen[term.seen.index("any of:"):term.mark].split("\r\n")
    assert any("following" in line and "s.2A(3)(a)" in line for line in shown)
    assert all(len(line) <= 80 for line in shown)
    assert not any(line.rstrip().endswith("-") for line in shown)  # no word split


def test_an_existing_file_is_replaced_only_once_confirmed(
        tmp_path: Path, terminals: list[Terminal]) -> None:
    target = tmp_path / "case.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    term = start(terminals, "new", "case.yaml", cwd=tmp_path)
    answer_all(term, [*FILE, *PARTIES])
    term.answer("Incident I1 date", "2024-02-05")
    answer_all(term, [*INCIDENT_1[:-1], ("Add another incident?", "no"), *IMPACT, *CHARGES,
                      *SAFEGUARDING[:-1]])
    term.answer("case.yaml exists: replace it with this case?", "no")
    interrupt(term, "case.yaml exists: replace it")
    term.expect("Stopped.")
    assert term.finish() == 130
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert (tmp_path / "case.yaml.draft").exists()  # and nothing typed is lost


def scripted(*typed: str) -> tuple[Prompter, list[str]]:
    """A prompter one answer into the interview, reading `typed` in turn."""
    shown: list[str] = []
    replies = iter(typed)

    def read(prompt: str) -> str:
        shown.append(prompt)
        return next(replies)

    return Prompter(read=read, write=shown.append, tape=["INTAKE-1"], at=1), shown


def test_a_lone_b_that_a_question_would_take_is_asked_about_not_taken_as_back() -> None:
    prompter, shown = scripted("B", "no")
    assert prompter.ask("Suspect label (pseudonym) [D]: ", text("D", 64)) == "B"
    assert any("go back to the previous question?" in line for line in shown)
    prompter, _ = scripted("B", "")  # Enter: yes, go back
    with pytest.raises(Back):
        prompter.ask("Suspect label (pseudonym) [D]: ", text("D", 64))


@pytest.mark.parametrize("typed", ["b", "back", "BACK"])
def test_back_on_a_question_that_cannot_take_it_goes_back_at_once(typed: str) -> None:
    prompter, shown = scripted(typed)
    with pytest.raises(Back):
        prompter.ask("Did they live together? (yes/no/unknown): ", fact)
    assert not any("go back to" in line for line in shown)


def test_back_in_full_always_goes_back_even_where_it_could_be_an_answer() -> None:
    prompter, shown = scripted("back")
    with pytest.raises(Back):
        prompter.ask("Summary: ", text())
    assert not any("go back to" in line for line in shown)
