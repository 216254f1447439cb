"""Image uploads (JPEG, PNG, TIFF incl. multi-page): checks and frames for OCR and previews.

Checks, in the order that keeps a hostile file cheap: the format Pillow
identifies must be the one the magic bytes named; frames are counted by
walking the TIFF directory chain, stopping at ``Limits.max_pdf_pages`` + 1 (a
TIFF of 10,000 frames is refused after reading 2,001 small directories); each
frame's width × height is checked against ``Limits.max_image_pixels`` from its
header before it is decoded (a 1 kB PNG declaring 100,000 × 100,000 pixels is
refused without allocating anything); then each frame is decoded once, which
finds truncated and damaged data. Pillow's own decompression-bomb guard is set
to the same limit.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import CorruptImage, ImageTooLarge, TooManyPages, ZeroPages
from .limits import Limits

FORMATS = {"JPEG": "jpeg", "PNG": "png", "TIFF": "tiff", "MPO": "jpeg"}
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError,
                  Image.DecompressionBombError)


@dataclass(frozen=True)
class ImageInfo:
    """An acceptable image: its format, frame count and first frame's size."""

    subtype: str
    frames: int
    width: int
    height: int


def check_image(data: bytes, limits: Limits) -> ImageInfo:
    """Validate an image upload (see the module docstring); returns what it is."""
    with _open(data, limits) as picture:
        frames = _count_frames(picture, limits)
        width, height = picture.size
        for index in range(frames):
            _seek(picture, index)
            _check_pixels(picture, index, limits)
            try:
                picture.load()
            except _DECODE_ERRORS as exc:
                raise CorruptImage(f"frame {index + 1} does not decode: {exc}"[:300]) from None
        return ImageInfo(FORMATS[picture.format or ""], frames, width, height)


def frames(data: bytes, limits: Limits) -> Iterator[Image.Image]:
    """Each frame as an upright RGB image (EXIF orientation applied), one at a time."""
    with _open(data, limits) as picture:
        count = _count_frames(picture, limits)
        for index in range(count):
            _seek(picture, index)
            _check_pixels(picture, index, limits)
            try:
                frame = ImageOps.exif_transpose(picture.copy()) or picture.copy()
                yield frame.convert("RGB")
            except _DECODE_ERRORS as exc:
                raise CorruptImage(f"frame {index + 1} does not decode: {exc}"[:300]) from None


def frame_count(data: bytes, limits: Limits) -> int:
    """How many frames (pages) the image has."""
    with _open(data, limits) as picture:
        return _count_frames(picture, limits)


def _open(data: bytes, limits: Limits) -> Image.Image:
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(str(exc)[:300]) from None
    except (UnidentifiedImageError, *_DECODE_ERRORS) as exc:
        raise CorruptImage(f"Pillow cannot identify the image: {exc}"[:300]) from None
    if picture.format not in FORMATS:
        picture.close()
        raise CorruptImage(f"an image in {picture.format} format, not JPEG, PNG or TIFF")
    return picture


def _count_frames(picture: Image.Image, limits: Limits) -> int:
    if picture.format != "TIFF":
        return 1
    count = 0
    try:
        while count <= limits.max_pdf_pages:
            picture.seek(count)
            count += 1
    except EOFError:
        pass
    except _DECODE_ERRORS as exc:
        raise CorruptImage(f"TIFF directory {count + 1} is damaged: {exc}"[:300]) from None
    if count == 0:
        raise ZeroPages("the TIFF file has no frames")
    if count > limits.max_pdf_pages:
        raise TooManyPages(f"more than {limits.max_pdf_pages} frames")
    return count


def _seek(picture: Image.Image, index: int) -> None:
    try:
        picture.seek(index)
    except _DECODE_ERRORS as exc:
        raise CorruptImage(f"frame {index + 1} cannot be read: {exc}"[:300]) from None


def _check_pixels(picture: Image.Image, index: int, limits: Limits) -> None:
    width, height = picture.size
    if width <= 0 or height <= 0:
        raise CorruptImage(f"frame {index + 1} is {width}x{height}")
    if width * height > limits.max_image_pixels:
        raise ImageTooLarge(
            f"frame {index + 1} is {width}x{height} pixels; at most {limits.max_image_pixels}")
