"""The one place YAML is read: safe, strict, and with a line for every key path.

We build plain data straight from libyaml's event stream rather than calling
`yaml.load` or `yaml.compose`. That is faster than the stock constructor (the
Python resolver is never called), and the careful reader (`_Builder`) can, in
the same walk:
- record the line of every key and list item, so errors can say `file:line`;
- reject duplicate keys (PyYAML silently keeps the last one);
- refuse anchors, aliases, merge keys and tags at the first one seen, so a
  "billion laughs" file is rejected before anything is expanded;
- refuse nesting deeper than the limit as soon as it is reached, with an explicit
  stack: libyaml's own composer recurses in C and crashes the interpreter
  (a segmentation fault, not an exception) on a file of 100,000 `[`;
- keep YAML 1.1 surprises (`no`, `on`, `017`, `16:25`) as strings rather than
  guessing, and accept only ISO `YYYY-MM-DD` as a date.

Most files are fine, and their lines are only wanted for a message. So `load`
first reads the events with a tight loop (`_quick`) that builds the data alone
and gives up at the first thing that is not plainly valid: an error, an anchor,
a tag, a duplicate or merge key, deep nesting, a second document. Only then does
the careful reader run, and it raises the exact `file:line` message. Either way
the data is the same (both go through `_plain`); a document read quickly works
out its lines with the careful reader on first use.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

import yaml

from chargecheck.errors import InputError, Path, Problem

DEFAULT_MAX_BYTES = 5_000_000
DEFAULT_MAX_DEPTH = 40
# libyaml refuses nesting past 1,000 levels (PyYAML 6.0.4), so a limit above this one
# could never be ours; well below it, our limit is always the one a user meets.
MAX_DEPTH_CEILING = 500

if yaml.__with_libyaml__:
    _Loader: type = yaml.CSafeLoader
else:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    warnings.warn(
        "PyYAML was built without libyaml: reading YAML will be about ten times slower",
        RuntimeWarning,
        stacklevel=1,
    )

_TAG = "tag:yaml.org,2002:"
_TEXT_TAGS = {None, "!", _TAG + "str"}  # no tag, the non-specific `!`, or an explicit `!!str`
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
          "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NUMBER_STARTS = frozenset("+-.0123456789")  # how every int, float and date above begins
# Characters YAML does not allow in a stream (YAML 1.1 section 5.1). libyaml reports them
# with a character offset only, so we find them first to be able to name the line.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Document:
    """A parsed YAML file: plain data plus the line of every key path.

    Given `text` instead of `lines`, the lines are worked out when first asked for.
    """

    def __init__(self, file: str, data: Any, lines: dict[Path, int] | None = None,
                 text: str | None = None, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self.file = file
        self.data = data
        self._lines = lines
        self._source = (text, max_depth)

    @property
    def lines(self) -> dict[Path, int]:
        if self._lines is None:
            text, depth = self._source
            assert text is not None, "a Document needs its lines or its text"
            self._lines = _careful(self.file, text, depth).lines
        return self._lines

    def line_of(self, path: Path) -> int | None:
        """The line of the deepest known prefix of `path`."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None

    def problem(self, path: Path, message: str, rule: str | None = None) -> Problem:
        return Problem(self.file, self.line_of(path), path, message, rule)


def _limit(name: str, default: int, ceiling: int | None = None) -> int:
    """A size limit from the environment, read per call so tests and users can set it."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        # Not a case-file problem, but still bad input: exit 2 with a message, not a crash.
        raise InputError.one(name, None, (), f"must be a whole number above 0; got {raw[:20]!r}")
    if ceiling is not None and int(raw) > ceiling:
        raise InputError.one(name, None, (), f"must be at most {ceiling:,}; got {raw[:20]}")
    return int(raw)


def max_bytes() -> int:
    return _limit("CHARGECHECK_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_depth() -> int:
    """The nesting limit for case files (rule files: `load_rule_file`)."""
    return _limit("CHARGECHECK_MAX_DEPTH", DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING)


def read_text(file: str) -> str:
    """Read a file as UTF-8 text (a BOM is allowed), refusing binary and oversized input."""
    return decode(file, read_bytes(file))


def read_bytes(file: str) -> bytes:
    """A file's exact bytes, refusing oversized input.

    Apart from `decode` so that a caller can keep the bytes it judged: an assessment's
    receipt names the case file by the sha256 of exactly these.
    """
    limit = max_bytes()
    return _within_limit(file, _read_bytes(file, limit), limit)


def read_stream(name: str, stream: BinaryIO) -> bytes:
    """A stream's bytes (standard input for `assess -`), refusing oversized input as
    `read_bytes` does; `name` is how messages call it."""
    limit = max_bytes()
    return _within_limit(name, stream.read(limit + 1), limit)


def _within_limit(file: str, raw: bytes, limit: int) -> bytes:
    if len(raw) > limit:
        raise InputError.one(
            file, None, (), f"file is larger than the limit of {limit:,} bytes "
            "(set CHARGECHECK_MAX_BYTES to raise it)"
        )
    return raw


def decode(file: str, raw: bytes) -> str:
    """A file's bytes as UTF-8 text (a BOM is allowed), refusing binary input."""
    if raw.startswith(_UTF16_BOMS):
        raise InputError.one(file, None, (), "file is UTF-16 text; save it as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError.one(file, line, (), "file contains NUL bytes; is it a binary file?")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.one(
            file, line, (), f"file is not UTF-8 text (byte 0x{raw[exc.start]:02x}; perhaps "
            "Latin-1 or Windows-1252); save it as UTF-8"
        ) from None


def _read_bytes(file: str, limit: int) -> bytes:
    try:
        with open(file, "rb", buffering=0) as handle:
            return _read_up_to(handle, limit + 1)
    except FileNotFoundError:
        message = "no such file"
    except IsADirectoryError:
        message = "is a directory; give the path of a case file"
    except PermissionError:
        message = "cannot read file: permission denied"
    except OSError as exc:
        message = f"cannot read file: {exc.strerror or type(exc).__name__}"
    raise InputError.one(file, None, (), message)


_CHUNK = 1 << 16  # reads after the first: a growing file or a device


def _read_up_to(handle: BinaryIO, most: int) -> bytes:
    """At most `most` bytes, to the end of the file.

    Never trusting the size on disk, so that a device such as /dev/zero or a file that grows
    cannot exhaust memory; the size only sizes the first read. (One read of `most` bytes
    would set aside a buffer of the whole limit for every file, a fifth of the cost of
    reading a small case in `audit`.)
    """
    parts: list[bytes] = []
    total = 0
    want = min(os.fstat(handle.fileno()).st_size + 1, most)
    while want > 0:
        part = handle.read(want)
        if not part:
            break
        parts.append(part)
        total += len(part)
        want = min(_CHUNK, most - total)
    return b"".join(parts)


def load(file: str, text: str | None = None, depth_limit: int | None = None) -> Document:
    """Parse one YAML file into a `Document`, or raise `InputError`.

    Nesting is limited to `depth_limit`, by default the case-file limit that
    CHARGECHECK_MAX_DEPTH sets.
    """
    if text is None:
        text = read_text(file)
    if not text.strip():
        raise InputError.one(file, None, (), "file is empty; expected a YAML mapping")
    try:
        depth = max_depth() if depth_limit is None else depth_limit
    except InputError:
        _check_characters(file, text)  # as ever, the file's own fault is reported first
        raise
    data = _quick(text, depth)
    if data is _UNUSUAL:
        return _careful(file, text, depth)
    return Document(file, data, text=text, max_depth=depth)


def load_rule_file(file: str, text: str | None = None) -> Document:
    """`load` for the project's own files: rule files, packs, rule tests and bundled
    scenarios. They keep the default depth limit, since CHARGECHECK_MAX_DEPTH is set to
    harden the reading of case files and must not make the rule set unreadable."""
    return load(file, text, DEFAULT_MAX_DEPTH)


class _Unusual:
    """What `_quick` returns for a file it leaves to the careful reader."""


_UNUSUAL = _Unusual()
_NODE_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)


def _quick(text: str, max_depth: int) -> Any:
    """The data of a plainly valid file, or `_UNUSUAL` at the first doubt.

    No line numbers, no messages: anything the careful reader might refuse (or that
    needs a closer look) hands the file over to it. Every character of the text is
    checked by libyaml on the way to the end of the stream, so a file read to the end
    here holds no control characters either.
    """
    try:
        loader = _Loader(text)
    except (yaml.YAMLError, ValueError):  # lone surrogates cannot be encoded for libyaml
        return _UNUSUAL
    try:
        return _quick_events(iter(loader.get_event, None), max_depth)
    except (yaml.YAMLError, ValueError):  # syntax errors; impossible dates, huge numbers
        return _UNUSUAL
    finally:
        loader.dispose()


def _quick_events(events: Iterator[Any], max_depth: int) -> Any:
    """Build the data from the events, or return `_UNUSUAL` at the first doubt."""
    # One flat loop over local variables, as it runs for every node of every file:
    # `top` is the open mapping or list, `key` the key whose value comes next (None:
    # a key comes next), `outer` the enclosing (top, in_map) pairs.
    root: Any = _UNUSUAL
    top: Any = None
    key: str | None = None
    in_map = False
    outer: list[tuple[Any, bool]] = []
    documents = 0
    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent or kind in _NODE_STARTS:
            if event.anchor is not None or event.tag is not None:
                return _UNUSUAL
            if kind is yaml.ScalarEvent:
                text = event.value
                if in_map and key is None:
                    if text in top or text == "<<":
                        return _UNUSUAL
                    key = text
                    continue
                value = text if event.style else _plain(text)
            elif in_map and key is None:  # a list or mapping as a key
                return _UNUSUAL
            else:
                value = {} if kind is yaml.MappingStartEvent else []
            if in_map:
                top[key] = value
                key = None
            elif top is not None:
                top.append(value)
            else:
                root = value
            if kind is not yaml.ScalarEvent:
                outer.append((top, in_map))
                if len(outer) > max_depth:  # the careful reader says exactly where
                    return _UNUSUAL
                top, in_map = value, kind is yaml.MappingStartEvent
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            top, in_map = outer.pop()
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                return _UNUSUAL
        elif kind is yaml.AliasEvent:
            return _UNUSUAL
    return root if documents == 1 else _UNUSUAL


def _careful(file: str, text: str, depth: int) -> Document:
    """Read `text` event by event, recording lines, and raise the exact error if any."""
    _check_characters(file, text)
    builder = _Builder(file, depth)
    try:
        return _build(builder, text, _Loader)
    except yaml.YAMLError as exc:
        if _Loader is not yaml.SafeLoader and _may_hide_our_limit(builder, exc):
            _find_our_error(file, text, depth, exc)
        raise _refusal(file, exc, text) from None


def _may_hide_our_limit(builder: _Builder, exc: yaml.YAMLError) -> bool:
    """Whether libyaml may have refused the file before our builder met our depth limit.

    libyaml has limits of its own (1,000 levels of nesting since PyYAML 6.0.4) and can
    reach them while scanning ahead of the last event it gave us. Each level it saw
    beyond that event takes at least one character, so our limit can be hidden only if
    the builder's depth plus the characters scanned ahead exceed it.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is None:
        return True
    scanned_ahead: int = mark.index - builder.last_index
    return builder.depth + scanned_ahead > builder.max_depth


def _find_our_error(file: str, text: str, depth: int, exc: yaml.YAMLError) -> None:
    """Raise our own error for `text` if it has one, read with the pure-Python parser.

    That parser has no limits of its own and yields events as it goes, so it meets ours
    first. It reads only as far as the line libyaml refused; if it finds nothing of ours
    there, libyaml's refusal stands.
    """
    mark = getattr(exc, "problem_mark", None)
    end = len(text) if mark is None else text.find("\n", mark.index)
    try:
        _build(_Builder(file, depth), text if end < 0 else text[:end], yaml.SafeLoader)
    except yaml.YAMLError:
        return


def _build(builder: _Builder, text: str, loader: type) -> Document:
    """Feed the parser's events to `builder`; parser errors are raised as they are."""
    for event in yaml.parse(text, Loader=loader):
        builder.feed(event)
    if not builder.has_document:
        message = "file holds no YAML document (only comments); expected a YAML mapping"
        raise InputError.one(builder.file, None, (), message)
    return Document(builder.file, builder.root, builder.lines)


def _refusal(file: str, exc: yaml.YAMLError, text: str) -> InputError:
    if isinstance(exc, yaml.MarkedYAMLError):
        return InputError.one(file, _mark_line(exc), (), _syntax_message(exc, text))
    return InputError.one(file, None, (), f"invalid YAML: {exc}")


def _check_characters(file: str, text: str) -> None:
    found = _FORBIDDEN.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        code = f"U+{ord(found.group()):04X}"
        raise InputError.one(file, line, (), f"control character {code} is not allowed in YAML")


def _mark_line(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return None if mark is None else mark.line + 1


def _syntax_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    message = f"invalid YAML: {exc.problem or 'syntax error'}"
    if exc.context:
        message += f" ({exc.context}{_started(exc)})"
    if _tab_indented(text, exc):
        message += " (YAML does not allow tabs for indentation; use spaces)"
    return message


def _started(exc: yaml.MarkedYAMLError) -> str:
    """Where the unfinished construct began: an unclosed `[` or quote is noticed lines later."""
    start, stop = exc.context_mark, exc.problem_mark
    if start is None or stop is None or start.line == stop.line:
        return ""
    return f" that starts on line {start.line + 1}"


def _tab_indented(text: str, exc: yaml.MarkedYAMLError) -> bool:
    """Whether the error is about, or on a line indented with, a tab.

    libyaml often says only "found character that cannot start any token".
    """
    if "tab" in (exc.problem or ""):
        return True
    lines = text.splitlines()
    for mark in (exc.problem_mark, exc.context_mark):
        if mark is not None and mark.line < len(lines):
            line = lines[mark.line]
            if "\t" in line[: len(line) - len(line.lstrip())]:
                return True
    return False


def _line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return None if mark is None else mark.line + 1


# Plain classes rather than dataclasses: they are defined on every start-up, and a
# dataclass costs about a millisecond to create.
class _Frame:
    """An open mapping or list; in a mapping, `key` is the key whose value comes next."""

    __slots__ = ("data", "key", "path")

    def __init__(self, data: dict[str, Any] | list[Any], path: Path) -> None:
        self.data, self.path = data, path
        self.key: str | None = None


class _Builder:
    """Turns parser events into plain data with an explicit stack, recording lines."""

    def __init__(self, file: str, max_depth: int) -> None:
        self.file, self.max_depth = file, max_depth
        self.lines: dict[Path, int] = {}
        self.root: Any = None
        self.has_document = False
        self.last_index = 0  # where the last event ended, as a character offset
        self._stack: list[_Frame] = []

    @property
    def depth(self) -> int:
        return len(self._stack)

    def fail(self, event: yaml.Event, path: Path, message: str) -> InputError:
        return InputError([Problem(self.file, _line(event), path, message)])

    def feed(self, event: yaml.Event) -> None:
        if event.end_mark is not None:
            self.last_index = event.end_mark.index
        if isinstance(event, yaml.DocumentStartEvent):
            self._start_document(event)
        elif isinstance(event, yaml.AliasEvent):
            raise self.fail(event, self._next_path(), "aliases (*name) are not allowed; "
                            "write the value out in full")
        elif isinstance(event, yaml.NodeEvent):
            self._node(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self._stack.pop()

    def _start_document(self, event: yaml.Event) -> None:
        if self.has_document:
            raise self.fail(event, (), "a case file holds one YAML document; "
                            "found a second one (after `---` or `...`)")
        self.has_document = True

    def _node(self, event: yaml.NodeEvent) -> None:
        path = self._next_path()
        if event.anchor is not None:
            raise self.fail(event, path, "anchors (&name) are not allowed; "
                            "write the value out in full")
        tag = getattr(event, "tag", None)
        if tag is not None and (tag not in _TEXT_TAGS or not isinstance(event, yaml.ScalarEvent)):
            # `!!python/object`, `!!binary` and friends: nothing in a case file needs them
            shown = tag.replace(_TAG, "!!")
            raise self.fail(event, path, f"YAML tags such as {shown!r} are not allowed")
        if len(path) > self.max_depth:
            message = (f"nesting is deeper than {self.max_depth} levels "
                       "(set CHARGECHECK_MAX_DEPTH to raise it)")
            raise self.fail(event, path, message)
        if self._expects_key():
            self._key(event)
        elif isinstance(event, yaml.ScalarEvent):
            self._place(event, self._scalar(event, path))
        else:
            data: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else [])
            self._place(event, data)
            self._stack.append(_Frame(data, path))

    def _expects_key(self) -> bool:
        return bool(self._stack) and isinstance(self._stack[-1].data, dict) and (
            self._stack[-1].key is None)

    def _next_path(self) -> Path:
        """The key path the next node will have."""
        if not self._stack:
            return ()
        frame = self._stack[-1]
        if isinstance(frame.data, list):
            return (*frame.path, len(frame.data))
        return frame.path if frame.key is None else (*frame.path, frame.key)

    def _key(self, event: yaml.NodeEvent) -> None:
        frame = self._stack[-1]
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail(event, frame.path, "a key must be a plain word, not a list or mapping")
        key = str(event.value)
        if key == "<<" and not event.style:
            raise self.fail(event, frame.path, "merge keys (<<) are not allowed")
        child = (*frame.path, key)
        if key in frame.data:
            first = self.lines.get(child, '?')
            raise self.fail(event, child, f"duplicate key {key!r} (first given on line {first})")
        self._record(child, event)
        frame.key = key

    def _record(self, path: Path, event: yaml.Event) -> None:
        line = _line(event)
        if line is not None:
            self.lines[path] = line

    def _place(self, event: yaml.NodeEvent, value: Any) -> None:
        if not self._stack:
            self.root = value
            return
        frame = self._stack[-1]
        if isinstance(frame.data, list):
            self._record((*frame.path, len(frame.data)), event)
            frame.data.append(value)
        else:
            assert frame.key is not None  # _expects_key() sent keys elsewhere
            frame.data[frame.key] = value
            frame.key = None

    def _scalar(self, event: yaml.ScalarEvent, path: Path) -> Any:
        value = str(event.value)
        if event.style or event.tag is not None:  # quoted, block or `!!str`: always text
            return value
        try:
            return _plain(value)
        except ValueError:
            # Python refuses to convert more than 4,300 digits; 2017-02-30 is no date
            message = ("number has too many digits" if _INT.fullmatch(value)
                       else f"{value} is not a real date")
            raise self.fail(event, path, message) from None


def _plain(value: str) -> Any:
    """A plain (unquoted, untagged) scalar as data; YAML 1.1 surprises stay text.

    Raises ValueError for a date that does not exist or a number with too many digits.
    """
    if value in _NULLS:
        return None
    if value in _BOOLS:
        return _BOOLS[value]
    if value[0] not in _NUMBER_STARTS:  # most values are words: skip the patterns
        return value
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    return value
