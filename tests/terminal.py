"""A command on a real pseudo-terminal, for tests of interactive commands.

The CLI runs on the slave side of a pty that is its controlling terminal, so Ctrl-C
really sends SIGINT and `isatty()` is true. Every wait has a deadline, so a missing
prompt fails the test instead of hanging it.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

TIMEOUT = 30.0


def _take_terminal() -> None:
    """In the child, after setsid: make the pty (stdin) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A child process on a pty, with expect-style waiting for its output."""

    def __init__(self, *args: str, cwd: Path, rows: int = 24, columns: int = 80) -> None:
        master, slave = pty.openpty()
        # The size of a classroom projector or a laptop's terminal, as the kernel reports it.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {key: value for key, value in os.environ.items()
               if key not in {"COLUMNS", "LINES"}}
        env.update({"NO_COLOR": "1", "TERM": "dumb"})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "chargecheck", *args], stdin=slave, stdout=slave,
            stderr=slave, cwd=cwd, env=env, start_new_session=True,
            preexec_fn=_take_terminal)
        os.close(slave)
        self.fd, self.seen, self.mark = master, "", 0

    def _read(self, deadline: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return False
        try:
            chunk = os.read(self.fd, 4096)
        except OSError:  # EIO: the child has gone and closed its side
            chunk = b""
        self.seen += chunk.decode("utf-8", "replace")
        return bool(chunk)

    def expect(self, text: str) -> None:
        """Wait until `text` appears after the last match."""
        deadline = time.monotonic() + TIMEOUT
        while text not in self.seen[self.mark:]:
            if time.monotonic() > deadline or not self._read(deadline):
                raise AssertionError(f"never saw {text!r}; the screen ends: "
                                     f"{self.seen[-600:]!r}")
        self.mark = self.seen.index(text, self.mark) + len(text)

    def answer(self, prompt: str, reply: str) -> None:
        self.expect(prompt)
        os.write(self.fd, reply.encode() + b"\r")

    def finish(self) -> int:
        """Read to the end (so the child never blocks on a full pty) and return its code."""
        deadline = time.monotonic() + TIMEOUT
        while self.proc.poll() is None and time.monotonic() < deadline:
            self._read(min(deadline, time.monotonic() + 0.2))
        while self._read(time.monotonic() + 0.2):
            pass
        os.close(self.fd)
        return self.proc.wait(timeout=5)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """Terminals started by a test; any still running at the end are killed."""
    started: list[Terminal] = []
    yield started
    for terminal in started:
        terminal.kill()


def start(terminals: list[Terminal], *args: str, cwd: Path, rows: int = 24,
          columns: int = 80) -> Terminal:
    terminal = Terminal(*args, cwd=cwd, rows=rows, columns=columns)
    terminals.append(terminal)
    return terminal
