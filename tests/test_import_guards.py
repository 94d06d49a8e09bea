"""Start-up guards that cannot flake: what each path imports, and what it parses once.

Timings live in benchmarks/run.py; these only check the causes of slow starts
(docs/performance.md): heavy imports on the fast paths, the pure-Python YAML
loader, and the rule set parsed more than once.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from chargecheck.case import yamlio
from chargecheck.cli import audit as audit_module
from chargecheck.cli import rule_loading as rule_loading_module
from chargecheck.cli import workers
from chargecheck.cli.app import app
from chargecheck.rulebook import checking as checking_module
from chargecheck.rulebook import directory
from chargecheck.rulebook import ruleset as ruleset_module
from chargecheck.rulebook.ruleset import RuleSet
from tests.conftest import ROOT

CASE = str(ROOT / "rules/tests/bases/stalking-well-handled.yaml")

# Run the CLI in a fresh interpreter, then list every module it imported on stderr.
LIST_MODULES = """
import json, sys
from chargecheck.cli.entry import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\n" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(*args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", LIST_MODULES, *args], capture_output=True,
                          text=True, check=False, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_assess_json_imports_neither_typer_nor_rich_nor_orjson_nor_multiprocessing() -> None:
    loaded = modules_after("assess", CASE, "--format", "json")
    assert "chargecheck.engine.assess" in loaded  # the command really ran
    for heavy in ("typer", "click", "rich", "orjson", "multiprocessing", "markdown_it", "difflib"):
        assert heavy not in loaded


def test_a_quiet_assess_draws_no_report() -> None:
    loaded = modules_after("assess", CASE, "--quiet")
    assert "chargecheck.engine.assess" in loaded  # the command really ran
    for heavy in ("typer", "rich", "chargecheck.reports.text_report"):
        assert heavy not in loaded


def test_an_assess_line_typer_must_judge_still_reaches_typer() -> None:
    loaded = modules_after("assess", CASE, "--format", "pdf")
    assert "typer" in loaded
    assert "chargecheck.engine" not in loaded


def test_help_imports_neither_yaml_nor_pydantic_nor_any_command() -> None:
    loaded = modules_after("--help")
    assert "typer" in loaded
    for heavy in ("yaml", "pydantic", "chargecheck.case.model", "chargecheck.engine"):
        assert heavy not in loaded
    assert not {m for m in loaded if m.startswith("chargecheck.cli.commands.")}


def test_a_command_imports_its_own_module_only() -> None:
    loaded = modules_after("validate", str(ROOT / "rules"))
    commands = {m for m in loaded if m.startswith("chargecheck.cli.commands.")}
    assert commands == {"chargecheck.cli.commands.validate", "chargecheck.cli.commands.options"}


# Run the CLI in a fresh interpreter, then say whether the cyclic collector is on.
COLLECTOR_AFTER = """
import gc, sys
from chargecheck.cli.entry import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stderr.write("\\ncollector " + ("on" if gc.isenabled() else "off") + "\\n")
"""


@pytest.mark.parametrize("args", [["--help"], ["assess", CASE, "--format", "json"],
                                  ["validate", str(ROOT / "rules")]])
def test_start_up_runs_without_the_cyclic_collector(args: list[str]) -> None:
    proc = subprocess.run([sys.executable, "-c", COLLECTOR_AFTER, *args], capture_output=True,
                          text=True, check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.splitlines()[-1] == "collector off"


@pytest.mark.parametrize("jobs", [1, 2])
def test_audit_collects_while_it_reads_files(rules: RuleSet, jobs: int) -> None:
    gc.disable()  # as the entry point leaves it
    try:
        with audit_module.summaries([CASE], rules, None, jobs, "high") as summaries:
            assert gc.isenabled()
            assert [s.reference for s in summaries] == ["BASE-STALKING"]
        assert not gc.isenabled()  # the caller's setting is restored
    finally:
        gc.enable()


def test_audit_workers_collect() -> None:
    gc.disable()  # a forked worker inherits the parent's setting
    try:
        workers._start_worker(lambda: None)
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_yaml_c_loader_is_used_when_present() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML was built without libyaml")
    assert yamlio._Loader is yaml.CSafeLoader


def test_a_warning_names_the_cost_of_the_pure_python_loader() -> None:
    code = ("import warnings, yaml; warnings.simplefilter('always'); "
            "yaml.__with_libyaml__ = False; import chargecheck.case.yamlio")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False, timeout=60)
    assert "RuntimeWarning" in proc.stderr
    assert "ten times slower" in proc.stderr


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Log each rule-file parse and rule-set compilation, with its process id, to a file.

    A file rather than a counter, so that calls made in forked workers are seen too.
    """
    log = tmp_path / "calls.log"
    load, build = yamlio.load_rule_file, ruleset_module.build
    # Looked up where they are called: the checker parses and compiles on a miss, the
    # loader compiles cached data on a hit.

    def logged(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"{name} {os.getpid()}\n")
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(checking_module, "load_rule_file", logged("parse", load))
    monkeypatch.setattr(checking_module, "build", logged("build", build))
    monkeypatch.setattr(rule_loading_module, "build", logged("build", build))
    monkeypatch.setenv("CHARGECHECK_NO_CACHE", "1")  # so every load would parse YAML
    return log


def audit_in_process(*args: str) -> dict[str, Any]:
    files = sorted(str(p) for p in (ROOT / "rules/tests/bases").glob("*.yaml"))
    result = CliRunner().invoke(app, ["audit", *files, "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    body: dict[str, Any] = json.loads(result.stdout)
    assert body["cases_reviewed"] == len(files) > 1
    return body


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_rule_set_is_parsed_once_per_audit(calls: Path, jobs: str) -> None:
    audit_in_process("--jobs", jobs)
    logged = calls.read_text(encoding="utf-8").split("\n")[:-1]
    rule_files = len(directory.rule_files(directory.default_rules_dir()))
    assert logged.count(f"parse {os.getpid()}") == len(logged) - logged.count(
        f"build {os.getpid()}") == rule_files  # each file parsed once, none in a worker
    assert logged.count(f"build {os.getpid()}") == 1  # and compiled once, checks included
