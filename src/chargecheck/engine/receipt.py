"""The receipt (contract 1.1): what reproduces an assessment and lets it be checked later.

The tool and its version, the rule set's digest, the sha256 of the case file's exact
bytes and the decision date. A what-if assessment also lists the `--set` changes applied
to that file, in order, since its digest is of the file before them. The command that
read the file stamps the result; nothing here reads a file.
"""

from __future__ import annotations

from collections.abc import Sequence

from chargecheck import __version__
from chargecheck.engine.assessment import Assessment, Receipt


def stamped(result: Assessment, case_digest: str, changes: Sequence[str] = ()) -> Assessment:
    return result._replace(receipt=receipt(result, case_digest, changes))


def receipt(result: Assessment, case_digest: str, changes: Sequence[str] = ()) -> Receipt:
    return Receipt(tool=f"chargecheck {__version__}", ruleset_digest=result.ruleset_digest,
                   case_digest=case_digest, decision_date=result.decision_date.isoformat(),
                   changes=tuple(changes))
