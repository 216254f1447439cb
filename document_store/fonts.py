"""CJK fonts for drawing text on page images (OFD previews, watermarks).

Looks for Noto CJK (Debian ``fonts-noto-cjk``), then WenQuanYi, then asks
``fc-match``; the simplified-Chinese face of a ``.ttc`` collection is chosen by
name. Without any CJK font, Pillow's built-in font is used and Chinese text
draws as boxes: the preview stays usable for layout, and a log line says what
to install.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

_CANDIDATES = {
    "serif": (
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ),
    "sans": (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    ),
}
_SANS_HINTS = ("黑", "hei", "sans", "gothic", "微软雅黑", "arial")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def style_for(family: str) -> str:
    """``sans`` for 黑体-like families, else ``serif`` (宋体, 仿宋, 楷体 and unknown ones)."""
    lowered = family.lower()
    return "sans" if any(hint in lowered for hint in _SANS_HINTS) else "serif"


@functools.cache
def font_file(style: str = "serif") -> tuple[str, int] | None:
    """Path and face index of a CJK font of ``style``, or ``None``."""
    for path in _CANDIDATES.get(style, ()) + _CANDIDATES["sans"] + _CANDIDATES["serif"]:
        if Path(path).is_file():
            return path, _sc_face(path)
    found = _fc_match("Noto Sans CJK SC:lang=zh-cn")
    if found:
        return found, _sc_face(found)
    log.warning("no CJK font found: install fonts-noto-cjk for readable Chinese previews")
    return None


@functools.lru_cache(maxsize=256)
def font(size_px: int, style: str = "serif") -> Font:
    """A font of ``size_px`` pixels (at least 1)."""
    size_px = max(1, min(size_px, 2000))
    found = font_file(style)
    if found is None:
        return ImageFont.load_default(size_px)
    return ImageFont.truetype(found[0], size_px, index=found[1])


def _sc_face(path: str) -> int:
    if not path.endswith(".ttc"):
        return 0
    for index in range(8):
        try:
            name = ImageFont.truetype(path, 10, index=index).getname()[0]
        except OSError:
            break
        if name.endswith(" SC") or "Micro Hei" in name or "Zen Hei" in name:
            return index
    return 0


def _fc_match(pattern: str) -> str | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out if out and Path(out).is_file() else None
