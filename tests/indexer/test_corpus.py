"""Search over 150 real laws compared with plain substring search.

Fifty substrings are sampled with a fixed seed: half anywhere, half starting and ending
inside jieba words (so they cross word boundaries, where a word index fails).  Quoted,
the hits must equal the substring-search set; unquoted, they must include it.
"""

from __future__ import annotations

import random
import re

import pytest

from indexer import SearchRequest, VisibilityFilter
from indexer.analysis import word_tokens

from .support import Law, search_ids
from .test_contract import plain

CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
SAMPLES = 25


def _random_substrings(flat: list[str], rng: random.Random) -> list[str]:
    found: list[str] = []
    while len(found) < SAMPLES:
        runs = CJK_RUN.findall(rng.choice(flat))
        run = rng.choice(runs)
        length = rng.randint(2, min(10, len(run)))
        start = rng.randint(0, len(run) - length)
        found.append(run[start : start + length])
    return found


def _boundary_substrings(laws: list[Law], rng: random.Random) -> list[str]:
    """Substrings that begin and end strictly inside multi-character jieba words."""
    found: list[str] = []
    while len(found) < SAMPLES:
        run = rng.choice(CJK_RUN.findall(plain(rng.choice(laws).text)))
        words = [w for w in word_tokens(run) if w in run]
        inner = [run.index(w) + 1 for w in words if len(w) > 1]
        if len(inner) < 2:
            continue
        start, end = sorted(rng.sample(inner, 2))
        if 2 <= end - start <= 10 and CJK_RUN.fullmatch(run[start:end]):
            found.append(run[start:end])
    return found


@pytest.fixture(scope="module")
def samples(laws: list[Law]) -> tuple[list[str], dict[str, set[int]]]:
    rng = random.Random(20220331)
    flat = {law.id: plain(law.title) + "\n" + plain(law.text) for law in laws}
    needles = _random_substrings(list(flat.values()), rng) + _boundary_substrings(laws, rng)
    expected = {n: {doc_id for doc_id, f in flat.items() if n in f} for n in needles}
    return needles, expected


def test_the_samples_include_strings_jieba_does_not_keep_whole(samples):
    needles, _ = samples
    split = [n for n in needles if n not in word_tokens(n)]
    assert len(split) >= 20


def test_quoted_substrings_hit_exactly_the_documents_containing_them(law_index, samples):
    needles, expected = samples
    wrong = {
        n: (search_ids(law_index, f'"{n}"'), expected[n])
        for n in needles
        if search_ids(law_index, f'"{n}"') != expected[n]
    }
    assert wrong == {}


def test_unquoted_terms_find_every_document_containing_them(law_index, samples):
    needles, expected = samples
    missed = {n for n in needles if not search_ids(law_index, n) >= expected[n]}
    assert missed == set()


def test_a_phrase_across_a_line_break_is_found(law_index, laws):
    law = next(law for law in laws if re.search(r"第一章\s+总则", law.text))
    assert law.id in search_ids(law_index, '"章总则"')


def test_snippets_mark_every_shown_occurrence_on_real_text(law_index):
    result = law_index.search(SearchRequest('"人民政府"', VisibilityFilter(all_visible=True)))
    assert result.total > 0
    for hit in result.hits:
        shown = re.sub(r"</?mark>", "", hit.snippet_html)
        assert shown.count("人民政府") == hit.snippet_html.count("<mark>人民政府</mark>")


def test_similar_documents_share_the_subject(law_index, laws):
    law = next(law for law in laws if law.title.endswith("税法"))
    similar = law_index.similar(law.id, VisibilityFilter(all_visible=True), limit=3)
    assert similar and law.id not in {hit.id for hit in similar}
    assert any("税" in hit.title for hit in similar)
