"""The HTML report in a real browser: headless Chromium from Debian's `chromium` package.

The report renders, prints to PDF and makes no network request.

Chromium sends requests of its own (component updates, account checks) even with the
flags below, so "no URL in the net log" cannot be the test. The net log tells the two
apart: a request made for a page carries the page's origin as its initiator ("null" for a
file:// page) and a file:// network isolation key; the browser's own requests have no
initiator ("not an origin"). A control page that does load remote resources proves the
check sees page requests. Every host name resolves nowhere (--host-resolver-rules), so
nothing leaves the machine either way.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, run_cli

CHROMIUM = Path("/usr/bin/chromium")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is missing (install the Debian package 'chromium')")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND")
LOCAL = ("file:", "data:", "about:", "chrome:", "chrome-error:", "blob:")
BROWSER_OWN = "not an origin"  # the net log's initiator of a request no page asked for
EXAMPLE = EXAMPLES / "03-knife-threat-pin.yaml"
REMOTE_LOADS = ('<link rel="stylesheet" href="https://style.chargecheck.invalid/s.css">'
                '<img src="http://image.chargecheck.invalid/x.png" alt="">')
CONTROL_PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>control</title></head>'
                f"<body><p>control</p>{REMOTE_LOADS}</body></html>")


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A private directory for the report and Chromium's profile, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="chargecheck-browser-") as name:
        yield Path(name)


def html_report(case: Path, directory: Path) -> Path:
    target = directory / f"{case.stem}.html"
    result = run_cli("assess", str(case), "--format", "html", "--output", str(target))
    assert result.code in (0, 1), result.err
    return target


def chromium(directory: Path, page: Path, *args: str) -> str:
    """Run headless Chromium on `page` with a fresh profile; return what it printed."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=directory)
    proc = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def net_log(directory: Path, page: Path) -> dict[str, Any]:
    log = directory / "net.json"
    chromium(directory, page, f"--log-net-log={log}", "--net-log-capture-mode=Default",
             "--dump-dom")
    text = log.read_text(encoding="utf-8")
    try:
        found: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError:  # a log cut short lacks its closing brackets
        found = json.loads(text.rstrip().rstrip(",") + "]}")
    return found


def remote_requests(log: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Every non-local URL in the log, and those the browser fetched for itself."""
    kinds = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    seen: set[str] = set()
    own: set[str] = set()
    for event in log["events"]:
        params = event.get("params") or {}
        url = params.get("url")
        if not isinstance(url, str) or url.startswith(LOCAL):
            continue
        seen.add(url)
        if (kinds.get(event["type"]) == "URL_REQUEST_START_JOB"
                and params.get("initiator") == BROWSER_OWN
                and "file:" not in params.get("network_isolation_key", "")):
            own.add(url)
    return seen, own


def test_the_check_sees_a_page_that_loads_remote_resources(workdir: Path) -> None:
    page = workdir / "control.html"
    page.write_text(CONTROL_PAGE, encoding="utf-8")
    seen, own = remote_requests(net_log(workdir, page))
    assert seen - own == {"https://style.chargecheck.invalid/s.css",
                          "http://image.chargecheck.invalid/x.png"}


def test_the_html_report_makes_no_network_request(workdir: Path) -> None:
    seen, own = remote_requests(net_log(workdir, html_report(EXAMPLE, workdir)))
    assert seen - own == set()


def test_the_reports_content_security_policy_blocks_remote_loads(workdir: Path) -> None:
    """Defence in depth: were a remote load ever to slip into the page, the CSP stops it."""
    page = html_report(EXAMPLE, workdir)
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", REMOTE_LOADS + "</body>"),
                    encoding="utf-8")
    seen, own = remote_requests(net_log(workdir, page))
    assert seen - own == set()


def test_the_html_report_renders(workdir: Path) -> None:
    data = json.loads(run_cli("assess", str(EXAMPLE), "--format", "json").out)
    dom = chromium(workdir, html_report(EXAMPLE, workdir), "--dump-dom")
    for heading in ("Case summary", "FOUR indicators", "Offence ladder", "Findings",
                    "Not assessed", "Rule set"):
        assert f"<h2>{heading}</h2>" in dom
    assert f"<h1>chargecheck assessment: {data['reference']}</h1>" in dom
    for word in [o["offence"] for o in data["offences"]] + [f["rule"] for f in data["findings"]]:
        assert word in dom
    assert "Advisory only: not legal advice" in dom
    assert "<script" not in dom


def test_case_text_stays_text_in_the_browser(workdir: Path) -> None:
    case = workdir / "hostile.yaml"
    source = EXAMPLE.read_text(encoding="utf-8")
    case.write_text(source.replace("reference: EX-03-KNIFE-PIN",
                                   'reference: "<script>alert(1)</script><b>x</b>"'),
                    encoding="utf-8")
    dom = chromium(workdir, html_report(case, workdir), "--dump-dom")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;" in dom
    assert "<script" not in dom and "<b>" not in dom


def test_the_html_report_prints_to_pdf(workdir: Path) -> None:
    pdf = workdir / "r.pdf"
    chromium(workdir, html_report(EXAMPLE, workdir), f"--print-to-pdf={pdf}",
             "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert data.rstrip().endswith(b"%%EOF")


def printed_pages(case: Path, directory: Path) -> list[str]:
    """The report of `case` printed to PDF by Chromium, as the text of each page."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext is missing (install the Debian package 'poppler-utils')")
    pdf = directory / f"{case.stem}.pdf"
    chromium(directory, html_report(case, directory), f"--print-to-pdf={pdf}",
             "--no-pdf-header-footer")
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True,
                          text=True, timeout=60, check=True).stdout
    # One string per page, its words on one line: cells wrap wherever the page is narrow.
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


@pytest.mark.parametrize("case", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_printed_report_answers_on_page_one(case: Path, workdir: Path) -> None:
    data = json.loads(run_cli("assess", str(case), "--format", "json").out)
    pages = printed_pages(case, workdir)
    first = pages[0]
    titles = {o["offence"]: f"{o['title']}, {o['citation']}" for o in data["offences"]}
    assert "Recommended" in first
    for offence in data["recommended_charges"]:
        assert titles[offence] in first, f"{offence} is not on page 1"
    if data["findings"]:
        worst = data["findings"][0]
        assert f"{worst['rule']} {worst['title']}" in first, "the worst finding is not on page 1"
    for number, page in enumerate(pages, 1):
        assert data["reference"] in page and "advisory only" in page
        assert f"page {number} of {len(pages)}" in page, f"page {number} has no page number"
