"""`spelling.closest` must find what difflib's `get_close_matches(..., n=1)` finds.

It replaces difflib only to keep difflib off the start-up path (docs/performance.md), so
any difference in the likeness, however small, would change a message a user reads. Of
equally like choices it takes the first in sort order, where difflib takes the last.
"""

from __future__ import annotations

import difflib
import keyword

from hypothesis import given
from hypothesis import strategies as st

from chargecheck.spelling import closest

SHORT = st.text(alphabet="abcde-_V1", max_size=12)
LONG = st.text(alphabet="ab ", min_size=195, max_size=260)  # difflib's "popular" rule
CUTOFFS = st.sampled_from([0.0, 0.4, 0.5, 0.6, 0.75, 1.0])


def expected(word: str, choices: list[str], cutoff: float) -> str | None:
    """difflib's answer, with ties broken towards the first in sort order."""
    found = difflib.get_close_matches(word, choices, n=len(choices) or 1, cutoff=cutoff)
    if not found:
        return None
    best = _ratio(word, found[0])
    return min(c for c in found if _ratio(word, c) == best)


def _ratio(word: str, choice: str) -> float:
    matcher = difflib.SequenceMatcher()
    matcher.set_seqs(choice, word)  # as get_close_matches measures it
    return matcher.ratio()


def test_of_equally_like_choices_the_first_in_sort_order_is_suggested() -> None:
    ids = [f"UC-{n:03d}" for n in range(1, 14)]
    assert closest("UC-01", ids) == "UC-001"
    assert closest("UC-01", list(reversed(ids))) == "UC-001"  # whatever the order given
    assert difflib.get_close_matches("UC-01", ids, n=1) == ["UC-013"]  # where difflib differs


@given(SHORT, st.lists(SHORT, max_size=8), CUTOFFS)
def test_short_words_agree_with_difflib(word: str, choices: list[str], cutoff: float) -> None:
    assert closest(word, choices, cutoff) == expected(word, choices, cutoff)


@given(st.one_of(LONG, SHORT), st.lists(st.one_of(LONG, SHORT), max_size=4), CUTOFFS)
def test_long_words_agree_with_difflib(word: str, choices: list[str], cutoff: float) -> None:
    assert closest(word, choices, cutoff) == expected(word, choices, cutoff)


def test_the_vocabulary_of_messages_agrees_with_difflib() -> None:
    words = [*keyword.kwlist, "victims", "victms", "strangulation", "strangulaton",
             "incidents", "incidnets", "V1", "v1", "pha-s2a", "pha-s4a", ""]
    for word in words:
        for cutoff in (0.4, 0.5, 0.6):
            assert closest(word, words, cutoff) == expected(word, words, cutoff)
            assert closest(word[::-1], words, cutoff) == expected(word[::-1], words, cutoff)
    assert closest("wheel", keyword.kwlist) == "while"
    assert closest("Apple", keyword.kwlist) is None
