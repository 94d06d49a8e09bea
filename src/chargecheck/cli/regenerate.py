"""Regenerate what is derived from the rule set, after an edit to `rules/`.

    python -m chargecheck.cli.regenerate

writes, in a checkout of the repository: the case model's vocabularies of offence ids
and behaviour words (`src/chargecheck/case/vocabulary.py`), the JSON Schemas
(`schemas/`) and `docs/rules.md`. `tests/test_vocabulary.py` fails while any is stale,
so adding a behaviour word or an offence is one YAML edit and this one command.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from chargecheck.case.yamlio import load_rule_file

ROOT = Path(__file__).resolve().parents[3]  # src/chargecheck/cli/ -> the checkout
VOCABULARY = ROOT / "src" / "chargecheck" / "case" / "vocabulary.py"
SCHEMA_KINDS = ("case", "rules", "offences", "behaviours", "indicators", "escalation",
                "audit", "manifest")  # schemas.SCHEMA_KINDS (a test keeps them equal)
HEADER = '''"""The case file's vocabularies that the rule set defines: offences and behaviours.

GENERATED from rules/offences.yaml and rules/behaviours.yaml by
`python -m chargecheck.cli.regenerate`; do not edit by hand (tests/test_vocabulary.py).
"""

from typing import Literal
'''


def vocabulary_source(rules_dir: Path) -> str:
    """The text of `case/vocabulary.py` for the rule set in `rules_dir`, in file order."""
    offences = load_rule_file(str(rules_dir / "offences.yaml")).data["offences"]
    behaviours = load_rule_file(str(rules_dir / "behaviours.yaml")).data["behaviours"]
    return "\n".join([HEADER, _literal("OffenceId", [o["id"] for o in offences]),
                      _literal("Behaviour", [b["id"] for b in behaviours])])


def _literal(name: str, words: list[str]) -> str:
    body = textwrap.fill(", ".join(f'"{w}"' for w in words), width=95,
                         initial_indent="    ", subsequent_indent="    ",
                         break_on_hyphens=False, break_long_words=False)
    return f"{name} = Literal[\n{body},\n]\n"


def main() -> int:
    if not (ROOT / "rules" / "ruleset.yaml").is_file() or not VOCABULARY.parent.is_dir():
        sys.stderr.write("error: run this in a checkout of the repository (rules/ and src/ "
                         "side by side); an installed package has nothing to regenerate\n")
        return 2
    _write(VOCABULARY, vocabulary_source(ROOT / "rules"))
    # The schemas and docs are read from the models in a fresh process, which imports
    # the vocabulary just written.
    for kind in SCHEMA_KINDS:
        _write(ROOT / "schemas" / f"{kind}.schema.json", _output("schema", kind))
    _write(ROOT / "docs" / "rules.md", _output("rules", "docs"))
    return 0


def _output(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "CHARGECHECK_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "chargecheck", *args], check=True,
                          capture_output=True, text=True, env=env).stdout


def _write(path: Path, text: str) -> None:
    spare = path.with_name(f".{path.name}.new")  # beside it, so the rename is atomic
    spare.write_text(text, encoding="utf-8")
    os.replace(spare, path)


if __name__ == "__main__":
    sys.exit(main())
