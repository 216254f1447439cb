"""The search contract of :mod:`indexer.analysis`, checked against plain substring search.

For a double-quoted query of 2–10 Chinese characters, the hits are exactly the documents
whose text (NFKC, whitespace removed) contains the string; an unquoted term finds at least
those documents.  Texts are built from real sentences, with line breaks and spaces
thrown in where PDF extraction would put them.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import IndexDoc

from .support import corpus_dir, load_laws, search_ids

CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
WHITESPACE = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u00ad]+")
FALLBACK_SENTENCES = [
    "第一条 为了规范行政复议工作，根据《中华人民共和国行政复议法》，制定本办法。",
    "法律顾问应当对重大行政决策进行合法性审查，并出具书面法律意见书。",
    "招标投标活动应当遵循公开、公平、公正和诚实信用的原则。",
    "国有资产处置应当经过资产评估，并在产权交易机构公开进行。",
    "规范性文件未经合法性审查或者经审查不合法的，不得提交集体讨论。",
    "第5条 聘任合同期满前三十日内，聘任单位应当作出是否续聘的决定。",
    "本办法自2022年3月1日起施行。",
    "律师事务所应当为其执业律师办理执业责任保险。",
]


def plain(text: str) -> str:
    """The contract's view of a text: NFKC, lowercase, whitespace removed."""
    return WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


def _sentences() -> list[str]:
    """Sentences of 20 laws, or a few built-in ones when the corpus is absent."""
    if corpus_dir() is None:
        return FALLBACK_SENTENCES
    laws = load_laws(20)
    sentences = [s + "。" for law in laws for s in law.text.split("。") if 10 < len(s) < 120]
    return sentences[::7][:300] + FALLBACK_SENTENCES


SENTENCES = _sentences()
BREAKS = st.sampled_from(["\n", " ", "\r\n", "\u3000", "  \n  "])


@st.composite
def texts(draw: st.DrawFn) -> str:
    """A few real sentences with line breaks and spaces inserted at random."""
    text = "".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4)))
    for cut in sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)), reverse=True):
        text = text[:cut] + draw(BREAKS) + text[cut:]
    return text


@given(documents=st.lists(texts(), min_size=2, max_size=6), data=st.data())
@settings(
    max_examples=25,
    deadline=None,
    # One index per backend, emptied at the start of every example.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_quoted_chinese_substring_hits_equal_substring_search(backend, documents, data):
    backend.clear()
    backend.upsert_many(
        IndexDoc(id=i, title=f"T{i}", content=text, agency_id=1, stamp="s")
        for i, text in enumerate(documents, 1)
    )
    flat = [plain(text) for text in documents]
    for _ in range(4):
        source = data.draw(st.sampled_from([f for f in flat if CJK_RUN.search(f)]))
        run = data.draw(st.sampled_from(CJK_RUN.findall(source)))
        length = data.draw(st.integers(2, min(10, len(run))))
        start = data.draw(st.integers(0, len(run) - length))
        needle = run[start : start + length]
        expected = {i for i, f in enumerate(flat, 1) if needle in f}
        assert search_ids(backend, f'"{needle}"') == expected, needle
        assert search_ids(backend, needle) >= expected, needle
