"""Joining the visual lines of PDF text layers."""

from __future__ import annotations

import pytest

from document_store import join_visual_lines
from document_store.textnorm import is_cjk


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        ("该项\n目由", "该项目由"),
        ("该项\r\n目由", "该项目由"),
        ("该项\r目由", "该项目由"),
        ("依照《中华人民共和国\r\n行政复议法》", "依照《中华人民共和国行政复议法》"),
        ("合同金额为\n68000元", "合同金额为68000元"),
        ("the procurement\ncontract", "the procurement contract"),
        ("accept\u00ad\nance", "acceptance"),
        ("审查完毕。\n下一段", "审查完毕。\n下一段"),
        ("意见如下：\n一、合同主体", "意见如下：\n一、合同主体"),
        ("他说：“同意。”\n随后", "他说：“同意。”\n随后"),
        ("本条例自公布之日起\n第二条 施行", "本条例自公布之日起\n第二条施行"),
        ("前文\n（一）事项", "前文\n（一）事项"),
        ("前文\n\u3000\u3000新段落", "前文\n\u3000\u3000新段落"),
        ("第一段\n\n\n\n第二段", "第一段\n\n第二段"),
        ("口岸 查验 机构", "口岸查验机构"),
        ("行尾空格  \n续行", "行尾空格续行"),
        ("金额\n3.5亿元", "金额3.5亿元"),
        ("控制\x02字符\x00", "控制字符"),
    ],
)
def test_join_visual_lines(raw, joined):
    assert join_visual_lines(raw) == joined


def test_cjk_classification():
    assert all(is_cjk(ch) for ch in "中文、。“”（）《》：　ア")
    assert not any(is_cjk(ch) for ch in "aZ09 .,;()")
