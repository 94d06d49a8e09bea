"""Regenerate tests/golden/<stem>.json from the bundled examples.

Usage (from the repository root, with the project installed):

    python tests/update_golden.py

For each examples/*.yaml it runs `chargecheck assess <example> --format json` (as
`python -m chargecheck`, with the interpreter running this script) and writes the JSON
pretty-printed with sorted keys. `ruleset.digest` is replaced by "<digest>" so that the
golden files change only when the assessment itself changes, not on every rule edit; so
are the receipt's tool version, rule-set digest and case digest, which
tests/test_decisions.py checks against the real values instead.

It also writes tests/golden/text/<stem>.<width>.txt: the text report of the examples in
`TEXT_EXAMPLES` at 80 and 120 columns and piped with `COLUMNS` unset, with the digest
replaced the same way.

Run it only after checking that a change in the output is intended: the golden files
are what tests/test_examples.py compares the tool against.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
DIGEST_PLACEHOLDER = "<digest>"
TOOL_PLACEHOLDER = "<tool>"
CASE_DIGEST_PLACEHOLDER = "<case-digest>"
TEXT_GOLDEN = GOLDEN / "text"
TEXT_EXAMPLES = ("01-seven-websites", "02-sixty-emails-a-day", "06-plea-s2-on-s4a")
TEXT_WIDTHS = ("80", "120", "piped")  # "piped": COLUMNS unset, output to a pipe


def example_files() -> list[Path]:
    """The bundled example case files, in name order."""
    return sorted(EXAMPLES.glob("*.yaml"))


def normalise(output: dict[str, Any]) -> dict[str, Any]:
    """The assessment with the rule-set digest and the receipt's stamps replaced by
    placeholders."""
    ruleset = output.get("ruleset")
    if isinstance(ruleset, dict) and "digest" in ruleset:
        output = {**output, "ruleset": {**ruleset, "digest": DIGEST_PLACEHOLDER}}
    receipt = output.get("receipt")
    if isinstance(receipt, dict):
        # A release or a rule edit changes these on every example, and a checkout that
        # rewrites line endings changes the case digest: none of them is the assessment.
        output = {**output, "receipt": {**receipt, "tool": TOOL_PLACEHOLDER,
                                        "ruleset_digest": DIGEST_PLACEHOLDER,
                                        "case_digest": CASE_DIGEST_PLACEHOLDER}}
    return output


def dump(output: dict[str, Any]) -> str:
    """The text of a golden file: pretty, sorted keys, one trailing newline."""
    return json.dumps(output, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def assess(example: Path, cache_dir: str) -> dict[str, Any]:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CACHE_HOME": cache_dir}
    proc = subprocess.run(
        [sys.executable, "-m", "chargecheck", "assess", str(example), "--format", "json"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(
            f"{example.name}: chargecheck exited {proc.returncode}\n{proc.stderr.strip()}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def text_report(example: Path, width: str, cache_dir: str) -> str:
    """The text report as a pipe receives it, at `width` columns (or COLUMNS unset)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env |= {"NO_COLOR": "1", "XDG_CACHE_HOME": cache_dir}
    if width != "piped":
        env["COLUMNS"] = width
    proc = subprocess.run([sys.executable, "-m", "chargecheck", "assess", str(example)],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{example.name}: chargecheck exited {proc.returncode}\n{proc.stderr}")
    return re.sub(r"sha256:[0-9a-f]+", DIGEST_PLACEHOLDER, proc.stdout)


def write_text_goldens(cache_dir: str) -> None:
    TEXT_GOLDEN.mkdir(parents=True, exist_ok=True)
    for stem in TEXT_EXAMPLES:
        for width in TEXT_WIDTHS:
            target = TEXT_GOLDEN / f"{stem}.{width}.txt"
            text = text_report(EXAMPLES / f"{stem}.yaml", width, cache_dir)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                print(f"wrote {target.relative_to(ROOT)}")


def main() -> int:
    examples = example_files()
    if not examples:
        print(f"no examples found in {EXAMPLES}", file=sys.stderr)
        return 1
    GOLDEN.mkdir(parents=True, exist_ok=True)
    wanted = {f"{e.stem}.json" for e in examples}
    with tempfile.TemporaryDirectory(prefix="chargecheck-golden-") as cache_dir:
        for example in examples:
            target = GOLDEN / f"{example.stem}.json"
            text = dump(normalise(assess(example, cache_dir)))
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != text:
                target.write_text(text, encoding="utf-8")
                print(f"{'updated' if old is not None else 'created'} {target.relative_to(ROOT)}")
        write_text_goldens(cache_dir)
    for stale in sorted(GOLDEN.glob("*.json")):
        if stale.name not in wanted:
            print(f"note: {stale.relative_to(ROOT)} has no example; delete it if it is stale")
    print(f"golden files checked: {len(examples)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
