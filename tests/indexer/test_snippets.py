"""Snippets and highlighted titles: every match marked, everything else escaped, marks on
the characters the user sees even across line breaks and full-width forms."""

from __future__ import annotations

import re

from indexer import SearchRequest, VisibilityFilter
from indexer.snippets import make_snippet, mark_html, merge_spans

EVERYONE = VisibilityFilter(all_visible=True)


def _first_hit(backend, query):
    result = backend.search(SearchRequest(query, EVERYONE))
    assert result.hits, query
    return result.hits[0]


def test_html_in_the_text_is_escaped(backend, make_doc):
    backend.upsert(make_doc(1, '合同审查<script>alert("x")</script>&完毕', title="<b>意见</b>"))
    hit = _first_hit(backend, "合同审查")
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in hit.snippet_html
    assert hit.title_html == "&lt;b&gt;意见&lt;/b&gt;"
    assert re.sub(r"</?mark>", "", hit.snippet_html).count("<") == 0


def test_every_occurrence_is_marked(backend, make_doc):
    backend.upsert(make_doc(1, "行政复议申请。对行政复议决定不服的，可以再申请行政复议。"))
    hit = _first_hit(backend, '"行政复议"')
    assert hit.snippet_html.count("<mark>行政复议</mark>") == 3
    assert "<mark>" not in hit.snippet_html.replace("<mark>行政复议</mark>", "")


def test_only_whole_phrase_occurrences_are_marked(backend, make_doc):
    backend.upsert(make_doc(1, "行政机关依法作出行政复议决定。"))
    hit = _first_hit(backend, '"行政复议"')
    assert hit.snippet_html == "行政机关依法作出<mark>行政复议</mark>决定。"


def test_title_matches_are_marked(backend, make_doc):
    backend.upsert(make_doc(1, "正文", title="关于招商引资协议的法律意见书"))
    hit = _first_hit(backend, "招商引资")
    assert hit.title_html == "关于<mark>招商引资</mark>协议的法律意见书"
    assert hit.snippet_html == "正文"


def test_a_match_across_a_line_break_is_marked_on_the_displayed_text(backend, make_doc):
    backend.upsert(make_doc(1, "依法申请行政\n复议的期限"))
    hit = _first_hit(backend, '"行政复议"')
    assert hit.snippet_html == "依法申请<mark>行政 复议</mark>的期限"


def test_full_width_text_is_marked_as_written(backend, make_doc):
    backend.upsert(make_doc(1, "本ＰＰＰ项目于２０２２年启动"))
    hit = _first_hit(backend, "ppp项目 2022年")
    assert hit.snippet_html == "本<mark>ＰＰＰ项目</mark>于<mark>２０２２年</mark>启动"


def test_words_of_an_unquoted_term_are_marked_where_they_matched(backend, make_doc):
    backend.upsert(make_doc(1, "组织招标、投标活动"))
    hit = _first_hit(backend, "招标投标")
    assert hit.snippet_html == "组织<mark>招标</mark>、<mark>投标</mark>活动"


def test_a_single_character_is_marked_everywhere(backend, make_doc):
    backend.upsert(make_doc(1, "法律、法规和规章"))
    assert _first_hit(backend, "法").snippet_html == "<mark>法</mark>律、<mark>法</mark>规和规章"


def test_long_texts_show_fragments_around_the_matches(backend, make_doc):
    filler = "本条例所称的口岸是指供人员货物出入境的港口。" * 20
    backend.upsert(make_doc(1, filler + "重大行政决策" + filler + "重大行政决策" + filler))
    snippet = _first_hit(backend, '"重大行政决策"').snippet_html
    assert snippet.startswith("…") and snippet.endswith("…")
    assert snippet.count("<mark>重大行政决策</mark>") == 2
    assert len(re.sub(r"</?mark>", "", snippet)) < 250


def test_merge_and_mark_helpers():
    assert merge_spans([(5, 7), (0, 2), (1, 3), (7, 8)]) == [(0, 3), (5, 8)]
    assert mark_html("a<b>c", [(1, 4)]) == "a<mark>&lt;b&gt;</mark>c"
    assert make_snippet("x" * 300, []) == "x" * 120 + "…"
