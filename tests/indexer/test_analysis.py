"""Chinese analysis: normalisation, exact-field tokens with real positions, query
compilation, jieba words with the legal dictionary."""

from __future__ import annotations

import threading

import pytest

from indexer import analysis
from indexer.analysis import (
    ExactQuery,
    bigram_tokens,
    exact_query,
    exact_tokens,
    query_words,
    word_tokens,
)
from indexer.normalise import normalise, strip_ignorable


def test_normalise_folds_full_width_and_case():
    assert normalise("ＰＰＰ项目１２３，Ａｂ") == "ppp项目123,ab"


def test_bigrams_have_consecutive_positions_not_character_offsets():
    tokens = [
        (t.text, t.pos) for t in exact_tokens("行政复议") if "^" not in t.text and "$" not in t.text
    ]
    assert tokens == [("行政", 0), ("政复", 1), ("复议", 2)]


def test_run_edges_are_marked_at_the_positions_of_the_edge_bigrams():
    assert [(t.text, t.pos) for t in exact_tokens("行政复议")] == [
        ("^行", 0),
        ("行政", 0),
        ("政复", 1),
        ("复议", 2),
        ("议$", 2),
    ]


def test_single_character_run_gives_plain_and_edge_tokens():
    assert bigram_tokens("第5条") == ["^第", "第", "第$", "5", "^条", "条", "条$"]


def test_whitespace_between_chinese_characters_is_ignored():
    assert bigram_tokens("行政\n 复议") == bigram_tokens("行政复议")
    spanning = [t for t in exact_tokens("行政\n复议") if t.text == "政复"][0]
    assert (spanning.start, spanning.end) == (1, 4)


def test_latin_words_and_numbers_are_whole_tokens():
    assert bigram_tokens("PPP 2022 14101201510123456") == ["ppp", "2022", "14101201510123456"]


def test_punctuation_is_a_token_so_runs_never_touch():
    tokens = exact_tokens("行政，复议")
    assert [(t.text, t.pos) for t in tokens if t.text in ("行政", ",", "复议")] == [
        ("行政", 0),
        (",", 1),
        ("复议", 2),
    ]


def test_offsets_refer_to_the_original_text_even_when_normalisation_expands():
    text = "㈱公司"  # NFKC: "(株)公司"
    company = [t for t in exact_tokens(text) if t.text == "公司"][0]
    assert text[company.start : company.end] == "公司"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("行政复议", ExactQuery(tokens=("行政", "政复", "复议"))),
        ("行政 复议", ExactQuery(tokens=("行政", "政复", "复议"))),
        ("2022年", ExactQuery(tokens=("2022", "^年"))),
        ("第5条", ExactQuery(tokens=("第$", "5", "^条"))),
        ("A条B", ExactQuery(tokens=("a", "条", "b"))),
        ("《行政复议法》", ExactQuery(tokens=("《", "行政", "政复", "复议", "议法", "》"))),
        ("法", ExactQuery(prefix="法")),
        ("   ", ExactQuery()),
    ],
)
def test_exact_query(phrase, expected):
    assert exact_query(phrase) == expected


def test_strip_ignorable_removes_whitespace_and_zero_width():
    assert strip_ignorable("行 政\n复\u200b议") == "行政复议"


def test_word_tokens_use_the_legal_dictionary():
    words = word_tokens("经合法性审查，同意招商引资。")
    assert "合法性审查" in words
    assert "招商引资" in words
    assert "，" not in words


def test_query_words_split_a_term_into_covering_dictionary_words():
    assert query_words("招标投标") == ["招标", "投标"]
    assert query_words("合法性审查") == ["合法性", "审查"]
    assert query_words("市司法局") == ["市司法局"]


def test_added_words_are_segmented_whole():
    name = "汴州区城市管理综合执法局"
    assert name not in word_tokens(f"根据{name}的意见")
    analysis.add_words([name])
    assert name in word_tokens(f"根据{name}的意见")


def test_jieba_initialises_once_under_concurrent_first_use(monkeypatch):
    monkeypatch.setattr(analysis, "_jieba_tokenizer", None)
    loads = []
    real_terms = analysis._legal_terms
    monkeypatch.setattr(analysis, "_legal_terms", lambda: loads.append(1) or real_terms())
    results: list[list[str]] = []
    threads = [
        threading.Thread(target=lambda: results.append(word_tokens("法律顾问"))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == [1]
    assert results == [["法律", "顾问", "法律顾问"]] * 4
