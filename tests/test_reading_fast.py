"""The fast paths of reading a case give exactly what the careful ones give.

`yamlio.load` reads a plainly valid file with a tight loop (`_quick`) and leaves
everything else to the careful reader, which names the line of each problem; a
document read quickly works out its lines on first use. Validation finds implausible
years through the model's date fields instead of walking the whole data. These
tests pin down that both shortcuts are taken for ordinary files and never change
data, lines or messages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import generate

from chargecheck.case import yamlio
from chargecheck.case.loading import load_case
from chargecheck.errors import InputError
from chargecheck.errors import Path as KeyPath

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
DEPTH = yamlio.DEFAULT_MAX_DEPTH


def careful(text: str, depth: int = DEPTH) -> yamlio.Document:
    return yamlio._careful("case.yaml", text, depth)


def message(text: str, depth: int = DEPTH) -> str:
    with pytest.raises(InputError) as caught:
        careful(text, depth)
    return str(caught.value)


@pytest.mark.parametrize("text", [t for _, t in generate(40, seed=5)]
                         + [p.read_text(encoding="utf-8") for p in EXAMPLES])
def test_ordinary_files_are_read_quickly_with_the_same_data_and_lines(text: str) -> None:
    data = yamlio._quick(text, DEPTH)
    assert data is not yamlio._UNUSUAL
    expected = careful(text)
    assert repr(data) == repr(expected.data)  # repr: `True == 1`, `1.0 == 1` would hide a change
    doc = yamlio.load("case.yaml", text)
    assert doc.lines == expected.lines


REFUSED = {
    "duplicate key": "a: 1\nb:\n  c: 1\n  c: 2\n",
    "duplicate key, quoted": "a: 1\n'a': 2\n",
    "anchor": "a: &x 1\n",
    "alias": "a: [1, *x]\n",
    "tag": "a: !!binary aGVsbG8=\n",
    "tag on a mapping": "a: !!str {b: 1}\n",
    "merge key": "a:\n  <<: {d: 2}\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "only comments": "# nothing\n",
    "list as a key": "? [a, b]\n: 1\n",
    "not a real date": "a: 2017-02-30\n",
    "too many digits": "a: " + "9" * 5000 + "\n",
    "syntax error": "a:\n  b: 1\n c: 2\n",
    "unclosed list": "a: [",
    "too deep": "a: " + "[" * 45 + "]" * 45 + "\n",
    "far too deep": "[" * 100_000,
    "tab": "a:\n\tb: 1\n",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_the_quick_reader_gives_up_on_what_the_careful_one_refuses(text: str) -> None:
    assert yamlio._quick(text, DEPTH) is yamlio._UNUSUAL
    with pytest.raises(InputError) as caught:
        yamlio.load("case.yaml", text)
    assert str(caught.value) == message(text)


ALLOWED_BUT_UNUSUAL = {
    "quoted merge key": "a:\n  '<<': 1\n",
    "explicit text tag": "a: !!str 12\n",
    "non-specific tag": "a: ! 12\n",
    "empty mapping at the depth limit": "a: " + "[" * 39 + "{}" + "]" * 39 + "\n",
}


@pytest.mark.parametrize("text", ALLOWED_BUT_UNUSUAL.values(), ids=ALLOWED_BUT_UNUSUAL.keys())
def test_files_the_quick_reader_leaves_alone_are_still_read(text: str) -> None:
    expected = careful(text)
    doc = yamlio.load("case.yaml", text)
    assert repr(doc.data) == repr(expected.data)
    assert doc.lines == expected.lines


@pytest.mark.parametrize("depth", range(1, 7))
def test_the_depth_limit_is_the_careful_readers(depth: int) -> None:
    text = "a:\n  b:\n    - c: [1]\n"  # the 1 is at a.b.0.c.0, five levels down
    quick = yamlio._quick(text, depth)
    if depth < 5:
        assert quick is yamlio._UNUSUAL
        assert "nesting is deeper than" in message(text, depth)
    else:
        assert quick == careful(text, depth).data == {"a": {"b": [{"c": [1]}]}}


FORBIDDEN = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0xD800, 0xDFFF, 0xFFFE, 0xFFFF]
             if yamlio._FORBIDDEN.match(chr(c))]
PLACES = ["a: 'q{}q'\n", "a: |\n  x{}y\n", "a: p{}p\n", "a: 1\n# c{}c\n", "a: 1\n...\n# {}\n"]


@pytest.mark.parametrize("place", PLACES)
def test_every_forbidden_character_sends_the_file_to_the_careful_reader(place: str) -> None:
    # libyaml checks every character on the way to the end of the stream.
    for character in FORBIDDEN:
        assert yamlio._quick(place.format(character), DEPTH) is yamlio._UNUSUAL, hex(
            ord(character))


def test_every_implausible_year_is_found_wherever_it_is(tmp_path: Path) -> None:
    # Old dates everywhere a date can be; the decision date last, so none is "after" it.
    text = """\
format: 1
reference: T-1
decision_date: 2101-01-01
suspect:
  relationship: ex-partner
  separated_on: 1899-01-01
  history:
    - kind: pin
      date: 1800-05-01
victims:
  - id: V1
    made_clear_unwanted_on: 1850-01-01
incidents:
  - id: I1
    date: 1700-01-01
    end_date: 1701-01-01
    behaviours: [contacting]
  - id: I2
    date: 2017-05-08
    behaviours: [following]
"""
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_case(str(path))
    found = {p.path for p in caught.value.problems if "is not between" in p.message}
    assert found == set(_implausible(yamlio.load(str(path)).data))


def _implausible(data: Any, path: KeyPath = ()) -> list[KeyPath]:
    """Every date of the data outside 1900-2100, by walking all of it."""
    if isinstance(data, date):
        return [] if 1900 <= data.year <= 2100 else [path]
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(
        data, list) else []
    return [found for key, value in items for found in _implausible(value, (*path, key))]
