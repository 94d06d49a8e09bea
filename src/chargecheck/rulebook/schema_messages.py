"""Schema mistakes in a rule file, in plain words and our own wording.

pydantic finds what is wrong with a rule file; its messages (`Input should be 'info',
'low', ...`) are written for programmers and change between its releases. Here each of
its error kinds becomes a sentence a rule author can act on, naming the key and, where
a word was mistyped, the word most like it (`did you mean 'high'?`).
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from chargecheck.errors import Path
from chargecheck.spelling import closest

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def schema_messages(model: type[BaseModel], data: Any, errors: list[ErrorDetails]
                    ) -> list[tuple[Path, str]]:
    """(key path, message) for each of pydantic's errors; the alternatives of one value
    (`a number or 'general-limit'`) are joined into one message."""
    by_path: dict[Path, list[ErrorDetails]] = {}
    for error in errors:
        by_path.setdefault(_data_path(data, error), []).append(error)
    return [(path, _message(model, path, found)) for path, found in by_path.items()]


def _data_path(data: Any, error: ErrorDetails) -> Path:
    """The error's location in the file: pydantic adds the alternative of a union it tried
    (`summary_months.int`), which is no key of the file."""
    loc, path, here = tuple(error["loc"]), [], data
    for n, part in enumerate(loc):
        inside = (isinstance(here, dict) and part in here) or (
            isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here))
        if inside:
            here = here[part]
        elif error["type"] == "missing" and n == len(loc) - 1:
            pass  # the missing key itself
        else:
            break
        path.append(part)
    return tuple(path)


def _message(model: type[BaseModel], path: Path, errors: list[ErrorDetails]) -> str:
    kinds = [e["type"] for e in errors]
    if len(errors) > 1 and "missing" not in kinds:
        value = errors[0].get("input")
        wanted = " or ".join(dict.fromkeys(_wanted(e) for e in errors))
        return f"{_shown(value)} is not allowed here: give {wanted}"
    return _one(model, path, errors[0])


def _one(model: type[BaseModel], path: Path, error: ErrorDetails) -> str:
    kind, value = error["type"], error.get("input")
    ctx = error.get("ctx") or {}
    key = str(path[-1]) if path else "the file"
    if kind == "missing":
        return f"required key `{key}` is missing"
    if kind == "extra_forbidden":
        known = _keys_at(model, path[:-1])
        guess = closest(key, known) if known else None
        hint = f"; did you mean `{guess}`?" if guess else (
            f"; the keys allowed here are {', '.join(sorted(known))}" if known else "")
        return f"unknown key `{key}`{hint}"
    if kind == "literal_error" or kind == "enum":
        choices = _QUOTED.findall(str(ctx.get("expected", "")))
        guess = closest(str(value), choices) if isinstance(value, str) else None
        hint = f"; did you mean {guess!r}?" if guess else ""
        listed = ", ".join(choices)
        return f"{_shown(value)} is not one of: {listed}{hint}"
    if kind in ("too_short", "string_too_short") and ctx.get("min_length") is not None:
        least = ctx["min_length"]
        if kind == "string_too_short":
            return ("must not be empty" if least == 1 else
                    f"{_shown(value)} is too short: at least {least} characters")
        return "must list at least one entry" if least == 1 else \
            f"must list at least {least} entries"
    if kind == "too_long" and ctx.get("max_length") is not None:
        return f"must list at most {ctx['max_length']} entries"
    if kind == "string_pattern_mismatch":
        if path and path[-1] == "id" and "A-Z" in str(ctx.get("pattern", "")):
            return f"rule id {_shown(value)} must be two capitals, a dash and three digits " \
                   "(such as UC-001)"
        return f"{_shown(value)} is not in the required form ({ctx.get('pattern')})"
    if kind == "value_error":
        return str(ctx.get("error", "")) or "this value is not allowed here"
    return f"{_shown(value)} is not allowed here: give {_wanted(error)}"


_WANTED = {
    "int_type": "a whole number", "int_parsing": "a whole number",
    "float_type": "a number", "bool_type": "true or false", "bool_parsing": "true or false",
    "string_type": "text", "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)", "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping",
    "model_attributes_type": "a mapping", "none_required": "nothing (leave it out)",
}


def _wanted(error: ErrorDetails) -> str:
    if error["type"] == "literal_error":
        return " or ".join(_QUOTED.findall(str((error.get("ctx") or {}).get("expected", ""))))
    return _WANTED.get(error["type"], "a value of the documented kind (docs/rules.md)")


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _keys_at(model: type[BaseModel], path: Path) -> list[str]:
    """The keys the model allows at `path` (a mapping's key path in the file)."""
    here: Any = model
    for part in path:
        here = _inner(here)
        if isinstance(part, int):
            continue  # a list's item: _inner has already taken the item type
        if not (isinstance(here, type) and issubclass(here, BaseModel)):
            return []
        fields = {f.alias or name: f for name, f in here.model_fields.items()}
        if part not in fields:
            return []
        here = fields[part].annotation
    here = _inner(here)
    if isinstance(here, type) and issubclass(here, BaseModel):
        return [f.alias or name for name, f in here.model_fields.items()]
    return []


def _inner(annotation: Any) -> Any:
    """The model an annotation holds: through Annotated, Optional and list."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated or origin is list:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union or origin is types.UnionType:
            models = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = models[0] if len(models) == 1 else annotation
            if len(models) != 1:
                return annotation
        else:
            return annotation
