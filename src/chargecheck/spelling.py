"""How words are written: 'did you mean ...?' for a mistyped word, and counted nouns.

Messages about a case file or a rule condition suggest a word, and the modules that
write them are on every command's start-up path, where importing difflib for a message
that is rarely written would cost every run. So this is difflib's own measure
(Ratcliff and Obershelp's matching blocks, as `SequenceMatcher.ratio` computes them,
its "popular element" rule for long words included) for the one question asked here:
`closest(word, choices, cutoff)` finds the likeness `difflib.get_close_matches(word,
choices, n=1, cutoff=cutoff)` finds; tests/test_spelling.py compares the two.

Where several choices are equally like the word, difflib takes the last in sort order
(`UC-013` for `UC-01`); this takes the first (`UC-001`), the one a list of ids shows
first and the likelier slip (a digit left out, not one added at the end).
"""

from __future__ import annotations

from collections.abc import Iterable

Positions = dict[str, list[int]]


def closest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The choice most like `word`, if its likeness (0 to 1) is at least `cutoff`; of
    equally like choices, the first in sort order."""
    where = _positions(word)
    scored = [(_likeness(choice, word, where), choice) for choice in choices]
    best = min((pair for pair in scored if pair[0] >= cutoff),
               key=lambda pair: (-pair[0], pair[1]), default=None)
    return None if best is None else best[1]


def _positions(word: str) -> Positions:
    """Where each character occurs in `word`; in a word of 200 or more characters, those
    occurring in more than one percent of places are left out, as difflib does."""
    found: Positions = {}
    for n, char in enumerate(word):
        found.setdefault(char, []).append(n)
    if len(word) >= 200:
        most = len(word) // 100 + 1
        found = {char: places for char, places in found.items() if len(places) <= most}
    return found


def _likeness(a: str, b: str, where: Positions) -> float:
    """Twice the characters in matching blocks over the length of both (`ratio`)."""
    matched, pending = 0, [(0, len(a), 0, len(b))]
    while pending:
        alo, ahi, blo, bhi = pending.pop()
        i, j, size = _longest_match(a, b, where, (alo, ahi, blo, bhi))
        if size:
            matched += size
            if alo < i and blo < j:
                pending.append((alo, i, blo, j))
            if i + size < ahi and j + size < bhi:
                pending.append((i + size, ahi, j + size, bhi))
    total = len(a) + len(b)
    return 2.0 * matched / total if total else 1.0


def _longest_match(a: str, b: str, where: Positions, bounds: tuple[int, int, int, int]
                   ) -> tuple[int, int, int]:
    """The longest block of a[alo:ahi] equal to one of b[blo:bhi], earliest first
    (`SequenceMatcher.find_longest_match` without junk)."""
    alo, ahi, blo, bhi = bounds
    best_i, best_j, best = alo, blo, 0
    runs: dict[int, int] = {}  # length of the match ending at each position of b
    for i in range(alo, ahi):
        grown: dict[int, int] = {}
        for j in where.get(a[i], ()):
            if j < blo:
                continue
            if j >= bhi:
                break
            size = grown[j] = runs.get(j - 1, 0) + 1
            if size > best:
                best_i, best_j, best = i - size + 1, j - size + 1, size
        runs = grown
    # Characters left out of `where` as too common may still extend the block.
    while best_i > alo and best_j > blo and a[best_i - 1] == b[best_j - 1]:
        best_i, best_j, best = best_i - 1, best_j - 1, best + 1
    while best_i + best < ahi and best_j + best < bhi and a[best_i + best] == b[best_j + best]:
        best += 1
    return best_i, best_j, best


def plural(count: int, word: str, many: str = "") -> str:
    """`1 occasion`, `2 occasions`; `many` for an irregular plural."""
    return f"{count} {word if count == 1 else many or word + 's'}"

