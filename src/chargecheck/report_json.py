"""The JSON report: the output contract (spec section 5) plus documented additions."""

from __future__ import annotations

import json

from chargecheck.assessment import Assessment
from chargecheck.model import Case
from chargecheck.reports import ReportOptions


def render(result: Assessment, case: Case, options: ReportOptions) -> str:
    return json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"
