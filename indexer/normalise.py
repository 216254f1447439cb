"""Text normalisation shared by indexing, querying and highlighting.

``normalise`` applies NFKC to each character and lowercases; ``normalise_with_offsets``
also says where each normalised character came from, so offsets found in normalised
text can be mapped back to the original (NFKC may expand one character into several:
``㈱`` → ``(株)``).  Whitespace and zero-width characters are "ignorable": the search
contract compares texts without them.
"""

from __future__ import annotations

import re
import unicodedata

CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
IGNORABLE_CLASS = r"\s\u00ad\u200b-\u200d\u2060\ufeff"
_IGNORABLE_RE = re.compile(f"[{IGNORABLE_CLASS}]+")

_char_map: dict[str, str] = {}
_changing_re: re.Pattern[str] | None = None


def _map_char(char: str) -> str:
    mapped = _char_map.get(char)
    if mapped is None:
        mapped = unicodedata.normalize("NFKC", char).lower()
        _char_map[char] = mapped
    return mapped


def _changing_chars() -> re.Pattern[str]:
    """A character class of every BMP character that normalisation changes, plus the
    supplementary planes outside the CJK extensions (checked one by one)."""
    global _changing_re
    if _changing_re is None:
        ranges: list[list[int]] = []
        for code in range(0x10000):
            char = chr(code)
            if 0xD800 <= code <= 0xDFFF or _map_char(char) == char:
                continue
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
        parts = [re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges]
        parts.append("\U00010000-\U0001ffff\U0002f800-\U0002ffff\U00031350-\U0010ffff")
        _changing_re = re.compile("[" + "".join(parts) + "]")
    return _changing_re


def _replace(match: re.Match[str]) -> str:
    return _map_char(match.group())


def normalise_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Return the normalised text and, when lengths differ, each character's origin."""
    changing = _changing_chars()
    norm = changing.sub(_replace, text)
    if len(norm) == len(text):  # NFKC never maps a character to nothing
        return norm, None
    origins: list[int] = []
    done = 0
    for match in changing.finditer(text):
        width = len(_map_char(match.group()))
        if width != 1:
            origins += range(done, match.start())
            origins += [match.start()] * width
            done = match.end()
    origins += range(done, len(text))
    return norm, origins


def normalise(text: str) -> str:
    """NFKC (per character) and lowercase: the form both index and queries are compared in."""
    return normalise_with_offsets(text)[0]


def strip_ignorable(text: str) -> str:
    """Remove whitespace and zero-width characters (the contract compares text without them)."""
    return _IGNORABLE_RE.sub("", text)
