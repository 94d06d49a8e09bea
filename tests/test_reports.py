"""The Markdown and HTML reports, and output safety in every format.

(a) For every example, the Markdown and HTML reports are complete: each section, every
    finding's rule id, every offence id, the rule set and the advisory notice.
(b) Names are never printed unless `--show-names`.
(c) `--output` writes atomically, never over an existing file without `--force`, never
    over the input, and leaves no temporary files.
(d) Case text is data, never markup: rich markup, HTML, ANSI escapes and Markdown control
    characters in a case appear literally in text, JSON, Markdown and HTML.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from chargecheck.case.loading import load_case
from chargecheck.cli.renderers import renderer
from chargecheck.engine.assess import assess
from chargecheck.reports.options import ReportOptions
from chargecheck.rulebook.ruleset import RuleSet
from tests.conftest import EXAMPLES, Run, run_cli

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
FORMATS = ("text", "json", "markdown", "html")
NOTICE = "Advisory only: not legal advice; check current CPS legal guidance"
HEADINGS = ("Case summary", "Course of conduct per victim", "Incidents", "FOUR indicators",
            "Offence ladder", "Warnings", "Findings", "Not assessed", "Rule set")
NAME = "Zebedee Quixote"
HOSTILE = ("[red]x[/red] <script>alert(1)</script> \x1b[31m *b* _i_ `c` | # ![i](x) "
           "~~s~~ &amp; $m$ \u202edesrever")
HOSTILE_LABEL = "*V*|[v]<b>"
# What a reader must see: control characters (ANSI, bidirectional) shown as escapes.
VISIBLE = HOSTILE.replace("\x1b", "\\x1b").replace("\u202e", "\\u202e")
MARKUP_TAGS = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "blockquote", "hr",
               "table", "thead", "tbody", "tr", "th", "td", "pre", "code"}
HTML_TAGS = MARKUP_TAGS | {"html", "head", "meta", "title", "style", "body", "header",
                           "section", "footer", "dl", "dt", "dd", "article"}


@functools.cache
def report(path: Path, fmt: str, *extra: str) -> Run:
    return run_cli("assess", str(path), "--format", fmt, *extra)


def expected(path: Path) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(report(path, "json").out)
    return body


def write_case(path: Path, *, reference: str = "NAMES-1", label: str = "V",
               summary: str = "texts after V cut contact") -> Path:
    """A small case file; strings go in as JSON, which YAML reads as double-quoted."""
    path.write_text(f"""format: 1
reference: {json.dumps(reference)}
decision_date: 2017-03-01
suspect: {{label: D, name: {NAME}, relationship: ex-partner}}
victims:
  - {{id: V1, label: {json.dumps(label)}, name: {NAME}, very_frightened: true}}
incidents:
  - {{id: I1, date: 2017-01-01, count: 5, behaviours: [contacting],
      summary: {json.dumps(summary)}}}
  - {{id: I2, date: 2017-02-01, behaviours: [following], summary: "# starts with a hash"}}
charges: [{{offence: pha-s2}}]
""", encoding="utf-8")
    return path


# --- (a) complete -------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_reports_of_every_example_are_complete(path: Path, fmt: str) -> None:
    result, data = report(path, fmt), expected(path)
    assert result.code in (0, 1), result.err
    assert result.code == report(path, "json").code
    text = result.out
    marks = [f"## {h}" if fmt == "markdown" else f"{h}</h" for h in HEADINGS]
    wanted = [*marks, NOTICE, data["reference"], data["decision_date"],
              data["ruleset"]["version"], data["ruleset"]["digest"], *data["ruleset"]["packs"],
              *(f["rule"] for f in data["findings"]), *(o["offence"] for o in data["offences"]),
              *data["indicators"], *(r["rule"] for r in data["not_assessed"])]
    for word in wanted:
        assert word in text, f"{word!r} missing from the {fmt} report of {path.name}"
    severities = {f["severity"].upper() for f in data["findings"]}
    assert all(f"{s} (" in text for s in severities)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_text_report_cuts_nothing_short(path: Path) -> None:
    # What is missing for an offence (a fact name) must reach the reader whole: table
    # cells wrap long words rather than end them with an ellipsis.
    result = report(path, "text")
    assert result.code in (0, 1), result.err
    assert "…" not in result.out


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_html_report_is_self_contained(path: Path) -> None:
    page = report(path, "html").out
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@media print" in page
    tags = Tags.of(page)
    assert tags.names <= HTML_TAGS, tags.names - HTML_TAGS
    assert not tags.fetching, tags.fetching
    for loader in ("url(", "@import", "<script", "<link", "<img", "javascript:"):
        assert loader not in page.lower()


# --- (b) names ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_are_never_printed_by_default(tmp_path: Path, fmt: str) -> None:
    result = run_cli("assess", str(write_case(tmp_path / "case.yaml")), "--format", fmt)
    assert result.code in (0, 1), result.err
    assert NAME not in result.out and "Zebedee" not in result.out
    assert "D" in result.out and "V" in result.out  # labels are used instead


@pytest.mark.parametrize("fmt", FORMATS)
def test_show_names_prints_the_names(tmp_path: Path, fmt: str) -> None:
    result = run_cli("assess", str(write_case(tmp_path / "case.yaml")), "--format", fmt,
                     "--show-names")
    assert result.out.count(NAME) == 2  # the suspect and the victim


def test_show_names_adds_the_parties_to_json(tmp_path: Path) -> None:
    plain = run_cli("assess", str(write_case(tmp_path / "case.yaml")), "--format", "json")
    named = run_cli("assess", str(write_case(tmp_path / "case.yaml")), "--format", "json",
                    "--show-names")
    assert "parties" not in json.loads(plain.out)
    parties = json.loads(named.out)["parties"]
    assert parties["suspect"]["label"] == "D"
    assert [(v["id"], v["label"]) for v in parties["victims"]] == [("V1", "V")]
    assert parties["suspect"]["name"] == parties["victims"][0]["name"] == NAME


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_reports_show_contradictions_as_warnings(tmp_path: Path, fmt: str) -> None:
    case = tmp_path / "contradiction.yaml"
    case.write_text("""format: 1
reference: CONTRADICTION
decision_date: 2017-03-01
suspect: {label: D, relationship: stranger, lived_together: true}
victims: [{id: V1}]
incidents: [{id: I1, date: 2017-01-01, count: 3, behaviours: [contacting]}]
""", encoding="utf-8")
    result = run_cli("assess", str(case), "--format", fmt)
    assert result.code in (0, 1), result.err
    assert "recorded as stranger but as having lived with the victim" in result.out


# --- (c) --output -------------------------------------------------------------------------


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    target = tmp_path / "case.yaml"
    target.write_bytes((EXAMPLES / "01-seven-websites.yaml").read_bytes())
    return target


def test_output_writes_the_report_to_the_file(case_file: Path) -> None:
    out = case_file.parent / "report.html"
    result = run_cli("assess", str(case_file), "--format", "html", "-o", str(out))
    assert result.code == 1 and result.out == "" and result.err == ""
    assert out.read_text(encoding="utf-8") == report(case_file, "html").out
    assert sorted(p.name for p in case_file.parent.iterdir()) == ["case.yaml", "report.html"]


def test_output_refuses_to_replace_a_file_without_force(case_file: Path) -> None:
    out = case_file.parent / "report.md"
    out.write_text("keep me\n", encoding="utf-8")
    result = run_cli("assess", str(case_file), "--format", "markdown", "--output", str(out))
    assert result.code == 2
    assert "file exists; use --force" in result.err and "Traceback" not in result.err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in case_file.parent.iterdir()) == ["case.yaml", "report.md"]


def test_force_replaces_the_file_by_renaming_a_new_one_into_place(case_file: Path) -> None:
    out, old = case_file.parent / "report.md", case_file.parent / "old.md"
    out.write_text("old report\n", encoding="utf-8")
    os.link(out, old)  # a second name for the old file: an in-place rewrite would change it
    result = run_cli("assess", str(case_file), "--format", "markdown", "-o", str(out), "--force")
    assert result.code == 1, result.err
    assert out.read_text(encoding="utf-8").startswith("# chargecheck assessment")
    assert old.read_text(encoding="utf-8") == "old report\n"
    assert out.stat().st_ino != old.stat().st_ino
    assert sorted(p.name for p in case_file.parent.iterdir()) == [
        "case.yaml", "old.md", "report.md"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_never_replaces_the_input_even_with_force(case_file: Path, fmt: str) -> None:
    before = case_file.read_bytes()
    link = case_file.parent / "link.yaml"
    link.symlink_to(case_file.name)
    for target in (case_file, link):
        result = run_cli("assess", str(case_file), "--format", fmt, "-o", str(target), "--force")
        assert result.code == 2
        assert "refusing to write a report over an input file" in result.err
        assert "Traceback" not in result.err
    assert case_file.read_bytes() == before
    assert sorted(p.name for p in case_file.parent.iterdir()) == ["case.yaml", "link.yaml"]


# --- (d) case text is data, never markup ---------------------------------------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_case(tmp_path / "hostile.yaml", reference=HOSTILE, label=HOSTILE_LABEL,
                      summary=HOSTILE + "\n# heading\n- item")


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_text_report_shows_case_text_literally(hostile: Path) -> None:
    result = run_cli("assess", str(hostile))
    assert result.code in (0, 1), result.err
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert one_line(VISIBLE) in one_line(result.out)  # rich may wrap the header line
    assert HOSTILE_LABEL in result.out


def test_text_report_in_a_terminal_sends_no_case_escape_sequence(hostile: Path,
                                                                 rules: RuleSet) -> None:
    case = load_case(str(hostile))
    text = renderer("text")(assess(case, rules), case, ReportOptions(terminal=True))
    assert "\x1b[31m *b*" not in text  # the case's own escape never reaches the terminal
    assert "\\x1b[31m" in text


def test_json_report_keeps_case_text_exactly(hostile: Path) -> None:
    body = json.loads(run_cli("assess", str(hostile), "--format", "json").out)
    assert body["reference"] == HOSTILE
    assert body["course_of_conduct"]["victims"][0]["victim"] == HOSTILE_LABEL


@pytest.mark.parametrize("explain", [(), ("--explain",)], ids=["plain", "explain"])
def test_markdown_report_renders_case_text_literally(hostile: Path, explain: tuple[str]) -> None:
    source = run_cli("assess", str(hostile), "--format", "markdown", *explain).out
    assert "\x1b" not in source
    assert "\\<script\\>alert(1)\\</script\\>" in source
    assert "\\# starts with a hash" in source and "\\# heading - item" in source
    rendered = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(source)
    tags = Tags.of(rendered)
    assert tags.names <= MARKUP_TAGS, tags.names - MARKUP_TAGS
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert f"chargecheck assessment: {VISIBLE}\n" in shown
    assert f"{VISIBLE} # heading - item" in shown  # the incident summary, on one line
    assert HOSTILE_LABEL in shown


@pytest.mark.parametrize("explain", [(), ("--explain",)], ids=["plain", "explain"])
def test_html_report_escapes_case_text(hostile: Path, explain: tuple[str]) -> None:
    page = run_cli("assess", str(hostile), "--format", "html", *explain).out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower() and "\x1b" not in page
    tags = Tags.of(page)
    assert tags.names <= HTML_TAGS, tags.names - HTML_TAGS
    assert f"chargecheck assessment: {VISIBLE}" in tags.text
    assert f"{VISIBLE} # heading - item" in tags.text
    assert HOSTILE_LABEL in tags.text


class Tags(HTMLParser):
    """The tags of a page, any attribute that could load something, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: set[str] = set()
        self.fetching: list[tuple[str, str]] = []
        self.parts: list[str] = []

    @classmethod
    def of(cls, page: str) -> Tags:
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names.add(tag)
        self.fetching += [(tag, name) for name, _ in attrs
                          if name in {"src", "href", "srcset", "action", "data", "poster"}]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_charge_comes_before_safeguarding_in_every_format(fmt: str) -> None:
    # Example 01's headline is stalking charged as harassment: a lawyer acts on it first.
    out = report(EXAMPLES / "01-seven-websites.yaml", fmt).out
    safeguarding = [out.index(rule) for rule in ("SG-002", "SG-004")]
    assert out.index("UC-001") < min(safeguarding)
    if fmt != "json":  # the bottom line's first action answers the headline finding
        assert out.index("UC-001") < out.index("Case summary" if fmt != "text" else "Parties")


def test_html_report_is_made_for_paper(hostile: Path) -> None:
    page = run_cli("assess", str(EXAMPLES / "01-seven-websites.yaml"), "--format", "html",
                   env={"SOURCE_DATE_EPOCH": "1700000000"}).out
    assert "<dt>Report made</dt><dd>2023-11-14</dd>" in page  # SOURCE_DATE_EPOCH honoured
    assert "<dt>Tool</dt><dd>chargecheck " in page
    assert re.search(r"<dt>Case file</dt><dd>sha256:[0-9a-f]{64}</dd>", page)
    assert '<td class="date">2016-03-01 to 2016-05-31</td>' in page  # never broken in a cell
    assert 'counter(page) " of " counter(pages)' in page
    style = report(hostile, "html").out.split("<style>")[1].split("</style>")[0]
    assert "<" not in style and "\\00003cscript" in style  # the reference as CSS escapes
