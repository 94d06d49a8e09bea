"""The case model's offence ids and behaviour words come from `rules/`, and only there.

`src/chargecheck/case/vocabulary.py` is generated from the rule set; it must match it,
must keep every word of the contract (words may be added, never removed), and the recipe
for adding a word (one YAML edit, then `python -m chargecheck.cli.regenerate`) must work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import typing
from pathlib import Path

from chargecheck.case.model import Behaviour, OffenceId
from chargecheck.cli.regenerate import vocabulary_source
from tests.conftest import ROOT

# Contract section 3 (with revision 1.1) and section 4.1: fixed, so written out here.
CONTRACT_OFFENCES = {
    "pha-s2", "pha-s2a", "pha-s4", "pha-s4a", "cda-s32-1a", "cda-s32-1b", "sca-s76",
    "sca-s75a", "oapa-s16", "mca-s1", "ca-s127", "osa-s179", "osa-s181", "cda-s1",
    "breach-ro", "breach-spo", "breach-nmo", "breach-injunction", "breach-dapo", "soa-s66b",
    "cjca-s33"}
CONTRACT_BEHAVIOURS = {
    "following", "contacting", "publishing", "monitoring-communications", "loitering",
    "interfering-with-property", "watching", "turning-up", "sending-gifts",
    "contacting-third-parties", "tracking", "account-access", "impersonation",
    "intimate-images", "vexatious-reports", "ordering-goods", "threats",
    "threat-of-violence", "threat-to-kill", "threat-of-sexual-violence", "violence",
    "strangulation", "property-damage", "weapon", "suicide-threat", "enlisting-others",
    "breach-of-order", "controlling-behaviour", "abuse"}


def test_the_vocabulary_is_generated_from_the_rule_set() -> None:
    # The checkout's file, whether the package is installed from it editable or not.
    generated = ROOT / "src" / "chargecheck" / "case" / "vocabulary.py"
    assert generated.read_text(encoding="utf-8") == vocabulary_source(ROOT / "rules"), (
        "src/chargecheck/case/vocabulary.py is stale: run `python -m chargecheck.cli.regenerate`")


def test_every_contract_word_is_kept() -> None:
    assert set(typing.get_args(OffenceId)) >= CONTRACT_OFFENCES
    assert set(typing.get_args(Behaviour)) >= CONTRACT_BEHAVIOURS


def test_adding_a_behaviour_word_is_one_yaml_edit_and_one_command(tmp_path: Path) -> None:
    for part in ("src", "rules", "schemas", "docs"):
        shutil.copytree(ROOT / part, tmp_path / part,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    behaviours = tmp_path / "rules" / "behaviours.yaml"
    behaviours.write_text(behaviours.read_text(encoding="utf-8") + (
        "  - id: doxxing\n    title: Publishing the person's address or details online\n"
        "    s2a3: c\n    associated_with_stalking: true\n    evidences: [fixated]\n"
        "    citations: [\"PHA 1997 s.2A(3)(c)\"]\n"), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "src"), "CHARGECHECK_NO_CACHE": "1"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                              env=env, cwd=tmp_path, timeout=120, check=False)

    case = tmp_path / "case.yaml"
    case.write_text("format: 1\nreference: T\ndecision_date: 2020-01-01\nvictims: [{id: V1}]\n"
                    "incidents: [{id: I1, date: 2019-12-01, behaviours: [doxxing]}]\n",
                    encoding="utf-8")
    assert run("-m", "chargecheck", "assess", str(case)).returncode == 2  # not yet known
    assert run("-m", "chargecheck.cli.regenerate").returncode == 0
    assert '"doxxing"' in (tmp_path / "src/chargecheck/case/vocabulary.py").read_text()
    assert "doxxing" in (tmp_path / "schemas/case.schema.json").read_text()
    assessed = run("-m", "chargecheck", "assess", str(case), "--format", "json")
    assert assessed.returncode in (0, 1), assessed.stderr
