"""Case files hold sensitive personal data: no network, no stray files, no names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "02-sixty-emails-a-day.yaml")

# Loaded by Python at start-up through PYTHONPATH: any attempt to open a socket fails loudly.
NO_SOCKETS = """\
import socket

class _Blocked(socket.socket):
    def __init__(self, *args, **kwargs):
        raise RuntimeError("network access attempted")

socket.socket = _Blocked
socket.create_connection = lambda *a, **k: (_ for _ in ()).throw(
    RuntimeError("network access attempted"))
"""

COMMANDS = [
    ("assess", EXAMPLE),
    ("assess", EXAMPLE, "--format", "json"),
    ("validate", str(ROOT / "rules"), str(ROOT / "examples")),
    ("test",),
    ("explain", "UC-001"),
    ("schema", "case"),
]


@pytest.fixture()
def offline(tmp_path: Path) -> dict[str, str]:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(NO_SOCKETS, encoding="utf-8")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    path = os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")])
    return {"PYTHONPATH": path, "TMPDIR": str(scratch)}


def test_the_socket_block_really_blocks(offline: dict[str, str]) -> None:
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.socket()"],
                           env={**os.environ, **offline}, capture_output=True, text=True,
                           check=False)
    assert probe.returncode != 0 and "network access attempted" in probe.stderr


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c[:1] + c[2:]) for c in COMMANDS])
def test_commands_run_with_the_network_blocked_and_leave_no_temporary_files(
        args: tuple[str, ...], offline: dict[str, str], tmp_path: Path) -> None:
    result = run_cli(*args, env=offline, isolated=True)
    assert result.code in (0, 1), result.err
    assert "network access attempted" not in result.err
    assert list(Path(offline["TMPDIR"]).iterdir()) == []


def test_names_are_never_printed_unless_asked(tmp_path: Path) -> None:
    text = Path(EXAMPLE).read_text(encoding="utf-8")
    text = text.replace("  label: D\n", "  label: D\n  name: Zebedee Quixote\n", 1)
    assert "Zebedee" in text
    case = tmp_path / "named.yaml"
    case.write_text(text, encoding="utf-8")
    for fmt in ("text", "json"):
        assert "Zebedee" not in run_cli("assess", str(case), "--format", fmt).out


def test_error_messages_name_the_key_not_the_personal_detail(tmp_path: Path) -> None:
    text = Path(EXAMPLE).read_text(encoding="utf-8").replace(
        "  label: D\n", "  label: D\n  name: [Zebedee, Quixote]\n", 1)
    case = tmp_path / "bad.yaml"
    case.write_text(text, encoding="utf-8")
    result = run_cli("assess", str(case))
    assert result.code == 2
    assert "suspect.name" in result.err
    assert "Zebedee" not in result.err
