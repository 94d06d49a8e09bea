"""Record the bundled rule set's version and digest after a reviewed rule change.

Run `python tests/record_ruleset.py` once the version in rules/ruleset.yaml is bumped and
CHANGELOG.md has an entry for it; tests/test_change_discipline.py checks the record.
"""

from __future__ import annotations

import json
from pathlib import Path

from chargecheck.cli.rule_loading import load_ruleset

RECORD = Path(__file__).with_name("ruleset_record.json")


def main() -> None:
    rules = load_ruleset(use_cache=False)
    RECORD.write_text(json.dumps({"version": rules.version, "digest": rules.digest}, indent=2)
                      + "\n", encoding="utf-8")
    print(f"recorded {rules.version} {rules.digest}")


if __name__ == "__main__":
    main()
