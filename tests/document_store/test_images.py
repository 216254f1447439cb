"""Image uploads: JPEG, PNG and multi-page TIFF scans accepted; bombs and damage refused."""

from __future__ import annotations

import io
import struct

import pypdfium2 as pdfium
import pytest
from PIL import Image

from document_store import (
    ALL_KINDS,
    CorruptImage,
    ImageTooLarge,
    Limits,
    Options,
    TooManyPages,
    UnsupportedType,
    validate,
)

OPTIONS = Options(kinds=ALL_KINDS)


@pytest.fixture(scope="module")
def scans(office) -> list[Image.Image]:
    """The first three pages of a LibreOffice PDF rasterised at 150 dpi (grey)."""
    document = pdfium.PdfDocument(office.narrow_pdf)
    return [document[i].render(scale=150 / 72).to_pil().convert("L") for i in range(3)]


def encode(images: list[Image.Image], fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    images[0].save(buffer, format=fmt, save_all=len(images) > 1, append_images=images[1:],
                   **options)
    return buffer.getvalue()


def test_jpeg_png_and_multipage_tiff_are_accepted(scans):
    for fmt, media in (("JPEG", "image/jpeg"), ("PNG", "image/png")):
        info = validate(encode(scans[:1], fmt), options=OPTIONS)
        assert (info.kind, info.pages, info.media_type) == ("image", 1, media)
    info = validate(encode(scans, "TIFF", compression="tiff_lzw"), options=OPTIONS)
    assert (info.kind, info.subtype, info.pages) == ("image", "tiff", 3)


def test_images_stay_refused_unless_accepted(scans):
    with pytest.raises(UnsupportedType):
        validate(encode(scans[:1], "PNG"))


def test_a_pixel_bomb_is_refused_before_decoding():
    bomb = encode([Image.new("1", (12_000, 8_000))], "PNG")  # 96 M pixels in ~20 kB
    assert len(bomb) < 200_000
    with pytest.raises(ImageTooLarge) as raised:
        validate(bomb, options=OPTIONS)
    assert raised.value.message.startswith("图像像素数超过上限")


def tiff_of_frames(count: int) -> bytes:
    """A baseline TIFF of ``count`` 2×2 grey frames sharing one strip, written directly
    (Pillow's multi-frame writer needs about 45 s for 10,000 frames)."""
    entries = ((256, 3, 2), (257, 3, 2), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8),
               (277, 3, 1), (278, 3, 2), (279, 4, 4))
    ifd_size = 2 + 12 * len(entries) + 4
    out = bytearray(struct.pack("<2sHI", b"II", 42, 12) + bytes([0, 85, 170, 255]))
    for index in range(count):
        following = 12 + (index + 1) * ifd_size if index + 1 < count else 0
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            out += struct.pack("<HHII" if kind == 4 else "<HHIH2x", tag, kind, 1, value)
        out += struct.pack("<I", following)
    return bytes(out)


def test_a_tiff_of_ten_thousand_frames_is_refused():
    tiff = tiff_of_frames(10_000)
    assert Image.open(io.BytesIO(tiff)).n_frames == 10_000  # a well-formed file
    with pytest.raises(TooManyPages) as raised:
        validate(tiff, options=OPTIONS)
    assert raised.value.message == "文件页数超过上限。"
    assert validate(tiff_of_frames(3), options=OPTIONS).pages == 3


def test_truncated_and_damaged_images_are_corrupt(scans):
    jpeg = encode(scans[:1], "JPEG", quality=80)
    for damaged in (jpeg[: len(jpeg) // 2], jpeg[:200] + bytes(len(jpeg) - 200)):
        with pytest.raises(CorruptImage) as raised:
            validate(damaged, options=OPTIONS)
        assert raised.value.message.startswith("图像文件已损坏")


def test_frame_limit_follows_the_page_limit(scans):
    tiff = encode(scans, "TIFF")
    with pytest.raises(TooManyPages):
        validate(tiff, Limits(max_pdf_pages=2), OPTIONS)
    assert validate(tiff, Limits(max_pdf_pages=3), OPTIONS).pages == 3
