"""The JSON report: the output contract (spec section 5) plus documented additions.

Names are never in it unless asked for: `--show-names` adds a `parties` object. The
assessment of a what-if (`--set`) says which facts and markers are hypothetical.
"""

from __future__ import annotations

import json
from typing import Any

from chargecheck.case.model import Case
from chargecheck.engine.assessment import Assessment
from chargecheck.reports.options import ReportOptions


def render(result: Assessment, case: Case, options: ReportOptions) -> str:
    return json.dumps(report_data(result, case, options), indent=2, ensure_ascii=False) + "\n"


def report_data(result: Assessment, case: Case, options: ReportOptions) -> dict[str, Any]:
    """The report as data (the what-if report nests it under `after`)."""
    data = result.as_json()
    if options.show_names:
        data["parties"] = parties(case)
    if options.what_if is not None:  # a what-if's assessment: which facts are supposed
        data["hypothetical"] = options.what_if.as_json()
    return data


def parties(case: Case) -> dict[str, Any]:
    """Labels and recorded names (null where none is recorded)."""
    suspect = case.suspect
    return {"suspect": {"label": suspect.label, "name": suspect.name},
            "victims": [{"id": v.id, "label": v.shown_as, "name": v.name}
                        for v in case.victims]}
