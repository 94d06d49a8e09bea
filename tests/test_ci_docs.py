"""docs/ci.md works as written: the example workflow's commands run, the pre-commit hooks
run only on YAML changes and agree about a missing path, and nothing says
`pip install chargecheck` (the name is on no index: a dependency-confusion risk)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "docs" / "ci" / "rules-workflow.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
# What the workflow's placeholders stand for when it is run here.
PLACES = {"my-pack/": str(ROOT / "docs" / "example-pack"), "cases/": str(ROOT / "examples")}


def _steps() -> list[dict[str, object]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps: list[dict[str, object]] = workflow["jobs"]["check"]["steps"]
    return steps


def _chargecheck_lines() -> list[str]:
    return [str(s["run"]) for s in _steps() if str(s.get("run", "")).startswith("chargecheck ")]


def test_no_document_installs_chargecheck_from_an_index() -> None:
    bare = re.compile(r"pip install\s+['\"]?chargecheck(?![\w-]* @)(\[[^\]]*\])?['\"]?(\s|$)")
    for doc in [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), WORKFLOW]:
        assert not bare.search(doc.read_text(encoding="utf-8")), doc


def test_the_workflow_installs_from_the_repository() -> None:
    installs = [str(s["run"]) for s in _steps() if "pip install" in str(s.get("run", ""))]
    assert installs and all("chargecheck @ git+https://" in line for line in installs)


def test_the_workflow_uploads_sarif_it_wrote() -> None:
    uploads = [s for s in _steps() if "upload-sarif" in str(s.get("uses", ""))]
    assert len(uploads) == 1
    written = {line.split(">")[1].strip() for line in _chargecheck_lines() if ">" in line}
    assert uploads[0]["with"]["sarif_file"] in written  # type: ignore[index]


@pytest.mark.parametrize("line", _chargecheck_lines())
def test_each_workflow_command_runs_on_the_example_pack(line: str, tmp_path: Path) -> None:
    command, _, target = line.partition(">")
    args = [PLACES.get(arg, arg) for arg in shlex.split(command)[1:]]
    result = run_cli(*args)
    assert result.code == 0, result.out + result.err
    if not target:
        return
    out = tmp_path / target.strip()
    out.write_text(result.out, encoding="utf-8")
    if out.suffix == ".sarif":
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.Draft7Validator(schema).validate(json.loads(out.read_text()))
    elif out.suffix == ".xml":
        assert ET.parse(out).getroot().tag == "testsuites"


def _hooks() -> list[dict[str, object]]:
    hooks: list[dict[str, object]] = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    return hooks


def test_each_hook_runs_only_on_yaml_changes() -> None:
    for hook in _hooks():
        files = re.compile(str(hook["files"]))
        assert files.search("my-pack/checks/area.yaml") and files.search("cases/a.yml")
        assert not files.search("README.md") and not files.search("src/app.py")


@pytest.mark.parametrize("hook", _hooks(), ids=lambda h: str(h["id"]))
def test_each_hook_passes_on_this_repository(hook: dict[str, object],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # its default args name this repository's rules/
    entry = shlex.split(str(hook["entry"]))
    assert entry[0] == "chargecheck"
    result = run_cli(*entry[1:], *[str(a) for a in hook["args"]])  # type: ignore[attr-defined]
    assert result.code == 0, result.out + result.err


def test_every_hook_refuses_a_missing_path_in_the_same_words() -> None:
    said = set()
    for hook in _hooks():
        result = run_cli(*shlex.split(str(hook["entry"]))[1:], "no-such-pack/")
        assert result.code == 2
        said.add(result.err)
    assert said == {"error: no-such-pack/: no such file or directory\n"}


def test_the_docs_name_a_rev_a_user_can_use() -> None:
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    revs = re.findall(r"^\s*rev:\s*(\S+)", text, re.M)
    assert revs == ["COMMIT-SHA"]
    assert "CHARGECHECK_LATEST=1" in text
