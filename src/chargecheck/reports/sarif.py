"""SARIF 2.1.0 logs and GitHub workflow annotations, shared by `validate` and `test`.

Both commands report problems at a file and line, filed under the check that found them;
these are the two forms CI systems read directly: SARIF for GitHub code scanning and
other static-analysis viewers, `::error` and `::warning` commands for annotations on a
workflow run.
"""

from __future__ import annotations

import json
from pathlib import Path as FilePath
from typing import Any, NamedTuple

from chargecheck import __version__

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")


class Located(NamedTuple):
    """One problem to report: the check that found it, where, and what."""

    check: str          # a SARIF rule id, one of the log's checks
    file: str
    line: int | None
    message: str
    rule: str | None = None  # the chargecheck rule it concerns, if any
    level: str = "error"  # or "warning": for a reviewer to confirm, not a failure


def sarif_log(checks: dict[str, str], found: list[Located],
              levels: dict[str, str] | None = None) -> str:
    """A SARIF 2.1.0 log with one run: `checks` (id: description) as the tool's rules,
    each at its level in `levels` (by default "error")."""
    levels = levels or {}
    rules = [{"id": check, "name": check.replace("-", " ").title().replace(" ", ""),
              "shortDescription": {"text": text},
              "defaultConfiguration": {"level": levels.get(check, "error")}}
             for check, text in checks.items()]
    index = {check: n for n, check in enumerate(checks)}
    results: list[dict[str, Any]] = []
    for f in found:
        location = {"physicalLocation": {
            "artifactLocation": {"uri": _uri(f.file)},
            "region": {"startLine": f.line or 1}}}
        result: dict[str, Any] = {
            "ruleId": f.check, "ruleIndex": index[f.check], "level": f.level,
            "message": {"text": f"{f.rule}: {f.message}" if f.rule else f.message},
            "locations": [location]}
        if f.rule:
            result["properties"] = {"rule": f.rule}
        results.append(result)
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "chargecheck", "version": __version__, "rules": rules}},
        "results": results}]}
    return json.dumps(log, indent=2) + "\n"


def _uri(file: str) -> str:
    """A relative path stays relative (code scanning resolves it against the checkout)."""
    path = FilePath(file)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def github_annotations(found: list[Located]) -> str:
    """GitHub Actions workflow commands, one `::error` (or `::warning`) annotation per
    problem."""
    out = []
    for f in found:
        props = f"file={_prop(f.file)}" + (f",line={f.line}" if f.line else "")
        title = f"chargecheck {f.rule}" if f.rule else "chargecheck"
        out.append(f"::{f.level} {props},title={_prop(title)}::{_data(f.message)}")
    return "\n".join(out) + ("\n" if out else "")


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
