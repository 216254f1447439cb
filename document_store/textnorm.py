"""Text clean-up shared by the extractors: newlines and visual line joining.

PDF text layers come back as *visual* lines: a Chinese sentence wrapped by
the page is cut in two (``该项\\n目由``), which breaks phrase search. The rules
of ``join_visual_lines`` undo the wrap where it is safe:

- a break between two CJK characters (ideographs, kana, CJK and full-width
  punctuation, curly quotes) or between CJK and a Latin letter or digit is
  removed;
- a break between two Latin words becomes one space; a soft hyphen at the end
  of a line is dropped and the word halves joined;
- spaces between two CJK characters (justification gaps) are removed;
- a break is kept where a paragraph probably ends: the line ends with
  。！？；：…… (optionally followed by a closing quote or bracket), the next
  line is blank, starts indented (ideographic space or two spaces), or starts
  with a numbered heading (``第三条``, ``一、``, ``（二）``, ``3.``).
"""

from __future__ import annotations

import re

_CJK_RANGES = (
    ("\u2014", "\u2026"),  # dashes, curly quotes, ellipsis
    ("\u3000", "\u30ff"),  # CJK punctuation, kana
    ("\u3400", "\u4dbf"),
    ("\u4e00", "\u9fff"),
    ("\uf900", "\ufaff"),
    ("\ufe30", "\ufe4f"),
    ("\uff00", "\uffef"),  # full-width forms
    ("\U00020000", "\U0003134f"),
)
_CJK_CLASS = "".join(f"{low}-{high}" for low, high in _CJK_RANGES)
_CJK_GAPS = re.compile(f"(?<=[{_CJK_CLASS}]) +(?=[{_CJK_CLASS}])")
_SENTENCE_END = frozenset("。！？；：…!?;")
_CLOSERS = frozenset("”’」』）》】)\"'")
_SOFT_HYPHENS = ("\u00ad", "\x02")
_HEADING = re.compile(
    r"(第[一二三四五六七八九十百千零〇\d]+[编章节条款项]"
    r"|[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d+[.、．](?!\d)"
    r"|[①-⑳])"
)
_INDENT = ("\u3000", "  ", "\t")
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def is_cjk(char: str) -> bool:
    """Whether ``char`` belongs to CJK text (ideograph, kana, CJK punctuation)."""
    return any(low <= char <= high for low, high in _CJK_RANGES)


def normalize_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def remove_stray_controls(text: str) -> str:
    """Drop control characters other than tab and newline."""
    return _STRAY_CONTROLS.sub("", text)


def join_visual_lines(text: str) -> str:
    """Rejoin lines wrapped by page layout, keeping probable paragraph breaks."""
    lines = normalize_newlines(text).split("\n")
    pieces: list[str] = []
    previous: str | None = None
    for raw in lines:
        line = raw.rstrip()
        if previous is None:
            pieces.append(line)
            previous = line
            continue
        separator = _separator(previous, line)
        if separator == "" and previous.endswith(_SOFT_HYPHENS):
            pieces[-1] = pieces[-1][:-1]
        pieces.append(separator)
        pieces.append(line if separator == "\n" else line.lstrip())
        previous = line
    joined = _CJK_GAPS.sub("", remove_stray_controls("".join(pieces)))
    return _MANY_BLANK_LINES.sub("\n\n", joined).strip("\n")


def _separator(previous: str, line: str) -> str:
    if not previous.strip() or not line.strip():
        return "\n"
    if line.startswith(_INDENT) or _HEADING.match(line):
        return "\n"
    tail = previous.rstrip("".join(_CLOSERS)) or previous
    if tail[-1] in _SENTENCE_END:
        return "\n"
    last, first = previous[-1], line.lstrip()[0]
    if previous.endswith(_SOFT_HYPHENS):
        return ""
    if is_cjk(last) or is_cjk(first):
        return ""
    return " "
