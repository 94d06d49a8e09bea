"""Read a case file into a validated `Case`, or explain precisely what is wrong.

Every message names the file, the line and the key path. Messages quote a bad
value back only where the expected value is a vocabulary word, date, number,
boolean or id, and only when it is short: free-text fields (names, labels,
summaries, notes, reasons, evidence) and whole entries can hold a victim's
personal details, so for those a message says what kind of value it got, never
the value itself.
"""

from __future__ import annotations

import functools
import hashlib
import re
import typing
from collections.abc import Iterator
from datetime import date
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from chargecheck.case.model import Case, Incident
from chargecheck.case.yamlio import Document, decode, load, read_bytes
from chargecheck.errors import InputError, Path, Problem, dotted
from chargecheck.spelling import closest

_QUOTED = re.compile(r"'([^']*)'")
_JURISDICTION = (
    "chargecheck covers England and Wales only; the law differs elsewhere (Scotland: "
    "CJLSA 2010 s.39; Northern Ireland: Protection from Stalking Act (NI) 2022)"
)
_FREE_TEXT = {"name", "label", "summary", "note", "reasons", "evidence"}
# Quote back a single word up to 32 characters (every vocabulary word, date and id fits), but
# words with spaces only up to 16 ("5 July 2017", "not sure"): a longer phrase in a yes/no
# or date field is probably a sentence about someone.
_ECHO_WORD, _ECHO_PHRASE = 32, 16
# Years outside this range are typing mistakes (2107 for 2017); they also overflow the
# date arithmetic of time limits. History may reach back decades, hence 1900.
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


def load_case(file: str, text: str | None = None) -> Case:
    """Parse, validate and cross-check one case file."""
    doc = load(file, text)
    return case_from_document(doc)


class CaseFile(NamedTuple):
    """A case as read for an assessment, with what its receipt and what-if need."""

    case: Case
    text: str    # as read: what-if edits parse this again rather than read the file twice
    digest: str  # "sha256:<hex>" of the file's exact bytes, for the receipt's case_digest


def load_case_file(file: str) -> CaseFile:
    """`load_case`, keeping the text and the digest of the very bytes that were judged."""
    raw = read_bytes(file)
    text = decode(file, raw)
    return CaseFile(load_case(file, text), text, "sha256:" + hashlib.sha256(raw).hexdigest())


def case_from_document(doc: Document) -> Case:
    if not isinstance(doc.data, dict):
        raise InputError([doc.problem((), _top_level_message(doc.data))])
    wrong_format = _format_problem(doc)
    if wrong_format is not None:  # other messages would judge it by the wrong contract
        raise InputError([wrong_format])
    try:
        case = Case.model_validate(doc.data)
    except ValidationError as exc:
        raise InputError(sorted(_problems(doc, exc), key=_order)) from None
    problems = sorted(_reference_problems(doc, case), key=_order)
    if problems:
        raise InputError(problems)
    return case


def _top_level_message(data: object) -> str:
    if data is None:
        return "file holds no case fields (the YAML document is empty)"
    kind = "a list" if isinstance(data, list) else "a single value"
    return f"the top level must be a mapping of case fields (format, reference, ...), not {kind}"


def _format_problem(doc: Document) -> Problem | None:
    value = doc.data.get("format", 1)
    if type(value) is int and value == 1:  # `type is`: `true == 1` in Python
        return None
    return doc.problem(("format",), "format must be 1 (the version of the case-file contract "
                       f"this chargecheck reads); got {_show(value)}")


def _order(problem: Problem) -> tuple[int, str]:
    return (problem.line or 0, dotted(problem.path))


# --- field-by-field validation ------------------------------------------------------------

def _problems(doc: Document, exc: ValidationError) -> Iterator[Problem]:
    errors = exc.errors(include_url=False)
    suggested = _suggested_keys(errors)
    seen: set[Path] = set()
    for error in errors:
        path = tuple(error["loc"])
        if path in seen:  # a union reports one failure per member; one message is enough
            continue
        seen.add(path)
        if error["type"] == "missing" and path in suggested:
            continue  # `victms` already says "did you mean 'victims'?"; one message is enough
        yield doc.problem(path, _message(error, path))


def _suggested_keys(errors: list[Any]) -> set[Path]:
    """The paths of keys offered as "did you mean" for an unknown key."""
    out: set[Path] = set()
    for error in errors:
        path = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            match = _closest(str(path[-1]), _fields_at(path[:-1]))
            if match is not None:
                out.add((*path[:-1], match))
    return out


def _message(error: Any, path: Path) -> str:
    kind, value = error["type"], error.get("input")
    got = _describe(value, path)
    if kind == "extra_forbidden":
        return _unknown_key_message(path)
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        return _vocabulary_message(error, path, value)
    if kind in ("date_type", "date_parsing", "date_from_datetime_inexact",
                "date_from_datetime_parsing"):
        return _date_message(value, got)
    if kind == "bool_type":
        return f"must be true or false (leave it out if not known); got {got}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number; got {got}"
    return (_bound_message(kind, value, got, error.get("ctx") or {})
            or _type_message(kind, value, got) or str(error["msg"]))


def _bound_message(kind: str, value: object, got: str, ctx: dict[str, Any]) -> str | None:
    if kind == "greater_than_equal":
        return f"must be {ctx['ge']} or more; got {got}"
    if kind == "less_than_equal":
        return f"must be {ctx['le']} or less; got {got}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":  # the length, not the text: it may be free text
        return f"must be at most {ctx['max_length']} characters; got {len(str(value))}"
    if kind == "too_short":
        return "must list at least one item; got an empty list"
    return None


def _type_message(kind: str, value: object, got: str) -> str | None:
    if kind == "string_type":
        quote = "" if isinstance(value, list | dict) else " (put it in quotes to make it text)"
        return f"must be text; got {got}{quote}"
    if kind == "list_type":
        return f"must be a list, written [a, b] or one '- ' line per item; got {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be a mapping of keys and values; got {got}"
    return None


def _date_message(value: object, got: str) -> str:
    message = f"dates must be written YYYY-MM-DD (for example 2017-05-07); got {got}"
    if isinstance(value, str) and _looks_like_datetime(value):
        message += " (leave out the time)"
    return message


def _looks_like_datetime(value: str) -> bool:
    return len(value) > 10 and re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ]", value) is not None


def _unknown_key_message(path: Path) -> str:
    allowed = _fields_at(path[:-1])
    match = _closest(str(path[-1]), allowed)
    if match is not None:
        return f"unknown key {path[-1]!r}; did you mean {match!r}?"
    return f"unknown key {path[-1]!r}" + (f" (allowed here: {', '.join(allowed)})"
                                          if allowed else "")


def _vocabulary_message(error: Any, path: Path, value: object) -> str:
    if path == ("jurisdiction",):
        return _jurisdiction_message(value)
    words = _QUOTED.findall(str(error["ctx"]["expected"]))
    match = _closest(value, words) if isinstance(value, str) else None
    hint = f"; did you mean {match!r}?" if match else f" ({', '.join(words)})"
    return f"{_describe(value, path)} is not one of the allowed words" + hint


def _jurisdiction_message(value: object) -> str:
    words = set(re.split(r"[^a-z]+", str(value).lower()))
    if words & {"england", "wales", "ew"}:  # meant the right place, spelt differently
        return f"write jurisdiction as 'england-and-wales'; got {_show(value)}"
    return f"jurisdiction {_show(value)} is not supported: {_JURISDICTION}"


def _closest(word: str, choices: list[str]) -> str | None:
    """The closest choice, ignoring case (`v1` means `V1`), for "did you mean"."""
    folded = {choice.lower(): choice for choice in choices}
    match = closest(word.lower(), folded)
    return None if match is None else folded[match]


def _describe(value: object, path: Path) -> str:
    """What a message says it got: the value itself only where that cannot be private."""
    return _kind(value) if _private(path) else _show(value)


def _private(path: Path) -> bool:
    """Free text, or a whole entry (a victim, an incident): may hold personal details."""
    names = [part for part in path if isinstance(part, str)]
    if names and names[-1] in _FREE_TEXT:
        return True
    return _model_in(_annotation_at(path)) is not None


def _show(value: object) -> str:
    """A short scalar as written, e.g. `'folowing'`, `0`, `2017-02-03`; else its kind."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and len(value) <= (
            _ECHO_PHRASE if re.search(r"\s", value) else _ECHO_WORD):
        return repr(value)
    if isinstance(value, int | float) and len(str(value)) <= _ECHO_WORD:
        return str(value)
    return _kind(value)


def _kind(value: object) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"text of {len(value)} characters" if isinstance(value, str) else "a value"


def _annotation_at(path: Path) -> Any:
    """The type of the case field at `path` (list positions skipped), or None."""
    model: Any = Case
    annotation: Any = None
    for part in path:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) if model is not None else None
        if field is None:
            return None
        annotation = field.annotation
        model = _model_in(annotation)
    return annotation


def _fields_at(path: Path) -> list[str]:
    """The field names of the model at `path`, for "did you mean" on unknown keys."""
    model = _model_in(_annotation_at(path)) if path else Case
    return [] if model is None else list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# --- cross-checks -------------------------------------------------------------------------

def _reference_problems(doc: Document, case: Case) -> Iterator[Problem]:
    """Cross-checks pydantic cannot express field by field: ids, references, dates."""
    victim_ids = [v.id for v in case.victims]
    yield from _unique_ids(doc, "victims", victim_ids)
    yield from _unique_ids(doc, "incidents", [i.id for i in case.incidents])
    # Left out, the decision date is today (contract section 2): conduct cannot postdate it.
    decided = case.decision_date or date.today()
    for n, incident in enumerate(case.incidents):
        yield from _victim_refs(doc, ("incidents", n), incident.victims, victim_ids)
        yield from _incident_dates(doc, ("incidents", n), incident, decided, case.decision_date)
    for n, charge in enumerate(case.charges):
        yield from _victim_refs(doc, ("charges", n), charge.victims, victim_ids)
    for n, decision in enumerate(case.decisions):
        yield from _victim_refs(doc, ("decisions", n), decision.victims, victim_ids)
    yield from _implausible_dates(doc, case)


def _unique_ids(doc: Document, key: str, ids: list[str]) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for n, ident in enumerate(ids):
        if ident in first:
            where = doc.line_of((key, first[ident], "id"))
            yield doc.problem((key, n, "id"), f"duplicate id {ident!r} (first used at "
                              f"{key}.{first[ident]}, line {where})")
        first.setdefault(ident, n)


def _victim_refs(doc: Document, path: Path, refs: list[str] | None, known: list[str]
                 ) -> Iterator[Problem]:
    where = (*path, "victims")
    if refs is None:
        if len(known) > 1:
            yield doc.problem(where, "required when the case has more than one victim: "
                              f"list which of {_ids(known)} this concerns")
        return
    if not refs:
        yield doc.problem(where, "must name at least one victim "
                          "(leave it out when the case has only one)")
    for n, ref in enumerate(refs):
        if ref not in known:
            match = _closest(ref, known)
            hint = f"; did you mean {match!r}?" if match else f" (victim ids: {_ids(known)})"
            yield doc.problem((*where, n), f"no victim has id {ref!r}{hint}")


def _ids(ids: list[str]) -> str:
    shown = ", ".join(ids[:10])
    return shown + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")


def _incident_dates(doc: Document, path: Path, incident: Incident, decided: date,
                    given: date | None) -> Iterator[Problem]:
    """End before start, or conduct after the decision date (`given`, else today)."""
    start, end = incident.date, incident.end_date
    if end is not None and end < start:
        yield doc.problem((*path, "end_date"), f"end_date {end} is before date {start}")
    if start > decided:
        yield doc.problem((*path, "date"), f"incident date {start} is after {_limit(given)}")
    elif end is not None and end > decided:
        yield doc.problem((*path, "end_date"), f"end_date {end} is after {_limit(given)}")


def _limit(given: date | None) -> str:
    return f"the decision_date {given}" if given else "today (no decision_date is given)"


def _implausible_dates(doc: Document, case: Case) -> list[Problem]:
    """Every date of the file outside the plausible years.

    Validation is strict, so once it has passed every date in the file sits in a date
    field of the model: reading those fields finds the same dates as walking the whole
    data, at a fraction of the cost.
    """
    found: list[Problem] = []
    _check_years(doc, case, (), found)
    return found


def _check_years(doc: Document, model: BaseModel, path: Path, found: list[Problem]) -> None:
    for name in _dated_fields(type(model)):
        value = getattr(model, name)
        if isinstance(value, list):
            for n, item in enumerate(value):
                _check_year(doc, item, (*path, name, n), found)
        else:
            _check_year(doc, value, (*path, name), found)


def _check_year(doc: Document, value: Any, path: Path, found: list[Problem]) -> None:
    if isinstance(value, date):
        if not _FIRST_YEAR <= value.year <= _LAST_YEAR:
            found.append(doc.problem(path, f"{value} is not between {_FIRST_YEAR} and "
                                     f"{_LAST_YEAR}; check the year"))
    elif value is not None:  # a sub-model (isinstance on pydantic's metaclass is slow)
        _check_years(doc, value, path, found)


@functools.cache
def _dated_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of `model` that can hold a date, directly, in a list or in a sub-model."""
    return tuple(name for name, field in model.model_fields.items()
                 if _can_hold_date(field.annotation))


def _can_hold_date(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return bool(_dated_fields(annotation))
    if isinstance(annotation, type) and issubclass(annotation, date):
        return True
    return any(_can_hold_date(arg) for arg in typing.get_args(annotation))
