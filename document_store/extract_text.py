"""Plain-text files: decode with the detected encoding and normalise newlines."""

from __future__ import annotations

from .errors import BadEncoding
from .textnorm import normalize_newlines


def extract_text(data: bytes, encoding: str) -> str:
    """Decode ``data`` strictly; a NUL character in the result is refused as ``BadEncoding``."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise BadEncoding(f"cannot decode as {encoding}: {exc}") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise BadEncoding("the decoded text contains NUL characters")
    return normalize_newlines(text)
