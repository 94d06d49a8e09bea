"""Read a case file into a validated `Case`, or explain precisely what is wrong."""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Iterator
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from chargecheck.errors import InputError, Path, Problem
from chargecheck.model import Case
from chargecheck.yamlio import Document, load

_QUOTED = re.compile(r"'([^']*)'")
_JURISDICTION = (
    "chargecheck covers England and Wales only; the law differs elsewhere (Scotland: "
    "CJLSA 2010 s.39; Northern Ireland: Protection from Stalking Act (NI) 2022)"
)


def load_case(file: str, text: str | None = None) -> Case:
    """Parse, validate and cross-check one case file."""
    doc = load(file, text)
    return case_from_document(doc)


def case_from_document(doc: Document) -> Case:
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "a single value"
        message = f"the top level must be a mapping of case fields, not {kind}"
        raise InputError([doc.problem((), message)])
    try:
        case = Case.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(sorted(_problems(doc, exc), key=_order)) from None
    problems = list(_reference_problems(doc, case))
    if problems:
        raise InputError(problems)
    return case


def _order(problem: Problem) -> tuple[int, str]:
    return (problem.line or 0, str(problem.path))


def _problems(doc: Document, exc: ValidationError) -> Iterator[Problem]:
    seen: set[Path] = set()
    for error in exc.errors(include_url=False):
        path = tuple(error["loc"])
        if path in seen:  # a union reports one failure per member; one message is enough
            continue
        seen.add(path)
        yield doc.problem(path, _message(error, path))


def _message(error: Any, path: Path) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return f"unknown key {path[-1]!r}" + _suggest(str(path[-1]), _fields_at(path[:-1]))
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        return _vocabulary_message(error, path, value)
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        return f"dates must be written YYYY-MM-DD (for example 2017-05-07); got {_show(value)}"
    if kind == "bool_type":
        return f"must be true or false (leave it out if not known); got {_show(value)}"
    if kind in ("int_type", "int_parsing"):
        return f"must be a whole number; got {_show(value)}"
    if kind == "greater_than_equal":
        return f"must be {error['ctx']['ge']} or more; got {_show(value)}"
    if kind in ("string_type", "list_type", "model_type", "dict_type"):
        expected = {"string_type": "text", "list_type": "a list", "model_type": "a mapping",
                    "dict_type": "a mapping"}[kind]
        return f"must be {expected}; got {_show(value)}"
    return str(error["msg"])


def _vocabulary_message(error: Any, path: Path, value: object) -> str:
    if path == ("jurisdiction",):
        return f"jurisdiction {_show(value)} is not supported: {_JURISDICTION}"
    if path == ("format",):
        return f"format must be 1 (the version of the case-file contract); got {_show(value)}"
    words = _QUOTED.findall(str(error["ctx"]["expected"]))
    hint = _suggest(str(value), words) if isinstance(value, str) else ""
    return f"{_show(value)} is not one of the allowed words" + (hint or f" ({', '.join(words)})")


def _suggest(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _show(value: object) -> str:
    text = repr(value.isoformat() if isinstance(value, date) else value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fields_at(path: Path) -> list[str]:
    """The field names of the model at `path`, for "did you mean" on unknown keys."""
    model: Any = Case
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
        if model is None:
            return []
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _reference_problems(doc: Document, case: Case) -> Iterator[Problem]:
    """Cross-checks pydantic cannot express field by field: ids, references, dates."""
    victim_ids = {v.id for v in case.victims}
    yield from _unique_ids(doc, "victims", [v.id for v in case.victims])
    yield from _unique_ids(doc, "incidents", [i.id for i in case.incidents])
    several = len(case.victims) > 1
    for n, incident in enumerate(case.incidents):
        yield from _victim_refs(doc, ("incidents", n), incident.victims, victim_ids, several)
        if incident.end_date is not None and incident.end_date < incident.date:
            yield doc.problem(("incidents", n, "end_date"), "end_date is before date")
        if case.decision_date is not None and incident.date > case.decision_date:
            yield doc.problem(("incidents", n, "date"), "incident is dated after the decision_date")
    for n, charge in enumerate(case.charges):
        yield from _victim_refs(doc, ("charges", n), charge.victims, victim_ids, several)


def _unique_ids(doc: Document, key: str, ids: list[str]) -> Iterator[Problem]:
    seen: set[str] = set()
    for n, ident in enumerate(ids):
        if ident in seen:
            yield doc.problem((key, n, "id"), f"duplicate id {ident!r}")
        seen.add(ident)


def _victim_refs(
    doc: Document, path: Path, refs: list[str] | None, known: set[str], several: bool
) -> Iterator[Problem]:
    if refs is None:
        if several:
            yield doc.problem(path, "name the victims (there is more than one victim in this case)")
        return
    for n, ref in enumerate(refs):
        if ref not in known:
            hint = _suggest(ref, sorted(known))
            yield doc.problem((*path, "victims", n), f"no victim has id {ref!r}{hint}")
