"""Page previews: PDF and image pages as PNG at a width, limits, and the viewer watermark."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from document_store import ALL_KINDS, Extractor, ImageTooLarge, Limits, Options, PageNotFound
from document_store.watermark import stamp

OPTIONS = Options(kinds=ALL_KINDS)


@pytest.fixture(scope="module")
def extractor():
    with Extractor(Limits(), OPTIONS) as shared:
        yield shared


def test_a_pdf_page_renders_at_the_asked_width(extractor, office):
    page = extractor.render(office.narrow_pdf, 2, 500)
    image = Image.open(io.BytesIO(page.png))
    assert image.format == "PNG" and image.width == 500 and page.page == 2 and page.pages > 2
    assert image.height == page.height > 500  # the page is portrait
    with pytest.raises(PageNotFound):
        extractor.render(office.narrow_pdf, page.pages + 1, 500)


def test_pixel_limits_bound_a_rendering(extractor, office):
    with pytest.raises(ImageTooLarge):
        extractor.render(office.narrow_pdf, 1, 3000, Limits(max_render_pixels=1_000_000))


def test_a_classified_preview_carries_the_viewer_and_time(extractor, office):
    plain = Image.open(io.BytesIO(extractor.render(office.narrow_pdf, 1, 600).png))
    marked = Image.open(io.BytesIO(
        extractor.render(office.narrow_pdf, 1, 600, watermark="张三 2026-12-05 14:03").png))
    assert marked.size == plain.size
    reddish = sum(1 for r, g, _b in marked.convert("RGB").get_flattened_data()
                  if r > g + 40 and r > _b + 40)
    assert reddish > 0.01 * marked.width * marked.height  # spread over the page
    top, bottom = marked.crop((0, 0, 600, marked.height // 2)), marked.crop(
        (0, marked.height // 2, 600, marked.height))
    assert top.tobytes() != plain.crop((0, 0, 600, plain.height // 2)).tobytes()
    assert bottom.tobytes() != plain.crop((0, plain.height // 2, 600, plain.height)).tobytes()


def test_stamp_keeps_the_size_and_mode():
    page = Image.new("RGB", (300, 400), "white")
    marked = stamp(page, "李四 2026-12-05 09:00")
    assert marked.size == page.size and marked.mode == "RGB" and marked != page
