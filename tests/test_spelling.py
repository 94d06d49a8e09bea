"""`spelling.closest` must answer exactly as difflib's `get_close_matches(..., n=1)`.

It replaces difflib only to keep difflib off the start-up path (docs/performance.md), so
any difference, however small, would change a message a user reads.
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
    found = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


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
