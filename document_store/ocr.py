"""Chinese OCR of page images, pages in parallel, with per-page text and confidence.

Two engines behind one small interface (``recognize(image) -> OcrText``):

- ``rapidocr`` (default): ``rapidocr-onnxruntime``, PP-OCRv4 detection and
  recognition models shipped inside the wheel (nothing is downloaded at run
  time), run by onnxruntime on the CPU. A pip dependency, so ``./scripts/serve``
  installs it. Its recognition dictionary writes the enumeration comma 、 as the
  look-alike radical 丶 (U+4E36, not used in running text); it is mapped back.
- ``tesseract``: Debian ``tesseract-ocr`` + ``tesseract-ocr-chi-sim`` (LSTM
  ``chi_sim``), called as a program; optional, for sites that prefer it.

docs/BENCHMARKS.md compares both (character error rate, phrase recall, pages
per minute) and says why rapidocr is the default. An engine that is not
installed raises ``OcrUnavailable`` (with what to install) when first used.

``recognize_pages`` runs ``workers`` pages at once in threads (onnxruntime and
the tesseract program both work outside the GIL), each thread with its own
engine limited to its share of the cores; a page that fails is reported with
its reason and the others are kept; past the soft deadline the remaining pages
are reported as not recognised instead of being started.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from .errors import OcrUnavailable

_CJK_CLASS = r"[\u3000-\u9fff\uff00-\uffef]"
_CJK = re.compile(_CJK_CLASS)
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK_CLASS}) +(?={_CJK_CLASS})")


@dataclass(frozen=True)
class OcrText:
    """What an engine read on one page: lines of text and the mean confidence (0–1)."""

    text: str
    confidence: float | None


class OcrEngine(Protocol):
    """Recognises the text of one page image."""

    name: str

    def recognize(self, image: Image.Image) -> OcrText: ...


def workers_for(requested: int) -> int:
    """Pages recognised at once: ``requested``, or one per core (at most 4) when 0."""
    return requested if requested > 0 else max(1, min(os.cpu_count() or 1, 4))


def load_engine(name: str, threads: int = 1) -> OcrEngine:
    """An engine by name (``rapidocr`` or ``tesseract``) using ``threads`` cores."""
    if name == "tesseract":
        return TesseractEngine(threads)
    if name == "rapidocr":
        return RapidOcrEngine(threads)
    raise OcrUnavailable(f"unknown OCR engine {name!r}")


class RapidOcrEngine:
    """PP-OCRv4 through ``rapidocr_onnxruntime`` (see the module docstring)."""

    name = "rapidocr"

    def __init__(self, threads: int = 1) -> None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # missing wheel, or cv2 without libGL
            raise OcrUnavailable(f"rapidocr_onnxruntime cannot be imported: {exc}") from None
        self._ocr = RapidOCR(det_limit_side_len=2000, det_limit_type="max",
                             intra_op_num_threads=threads, inter_op_num_threads=1)

    def recognize(self, image: Image.Image) -> OcrText:
        import numpy

        result, _ = self._ocr(numpy.asarray(image.convert("RGB")), use_cls=False)
        boxes = [(box, text.replace("丶", "、"), float(score)) for box, text, score in result or []]
        lines = _group_lines(boxes)
        weight = sum(len(text) for _, text, _ in boxes)
        confidence = (sum(len(text) * score for _, text, score in boxes) / weight
                      if weight else None)
        return OcrText("\n".join(lines), confidence)


def _group_lines(boxes: list[tuple[list, str, float]]) -> list[str]:
    """Boxes into lines: a box whose vertical centre lies within a line's first box joins it."""
    placed = sorted(boxes, key=lambda item: min(p[1] for p in item[0]))
    lines: list[tuple[float, float, list[tuple[float, str]]]] = []
    for box, text, _ in placed:
        top, bottom = min(p[1] for p in box), max(p[1] for p in box)
        left, centre = min(p[0] for p in box), (top + bottom) / 2
        for line_top, line_bottom, items in lines:
            if line_top <= centre <= line_bottom:
                items.append((left, text))
                break
        else:
            lines.append((top, bottom, [(left, text)]))
    return [_join_words([text for _, text in sorted(items)]) for _, _, items in lines]


def _join_words(words: list[str]) -> str:
    joined = ""
    for word in words:
        if joined and not (_CJK.match(joined[-1]) and _CJK.match(word[:1])):
            joined += " "
        joined += word
    return joined


class TesseractEngine:
    """``tesseract`` with the ``chi_sim`` model (Debian ``tesseract-ocr-chi-sim``)."""

    name = "tesseract"

    def __init__(self, threads: int = 1) -> None:
        self.binary = shutil.which("tesseract")
        if self.binary is None:
            raise OcrUnavailable("tesseract is not installed")
        self.env = dict(os.environ, OMP_THREAD_LIMIT=str(max(1, threads)))

    def recognize(self, image: Image.Image) -> OcrText:
        buffer = io.BytesIO()
        image.convert("L").save(buffer, format="PNG")
        process = subprocess.run([self.binary, "stdin", "stdout", "-l", "chi_sim", "--psm", "3",
                                  "tsv"], input=buffer.getvalue(), capture_output=True,
                                 env=self.env, timeout=600, check=False)
        if process.returncode != 0:
            message = process.stderr.decode("utf-8", "replace").strip()[-200:]
            raise RuntimeError(f"tesseract failed: {message}")
        return _parse_tsv(process.stdout.decode("utf-8", "replace"))


def _parse_tsv(tsv: str) -> OcrText:
    lines: dict[tuple[str, str, str], list[str]] = {}
    scores: list[float] = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        lines.setdefault((cells[2], cells[3], cells[4]), []).append(cells[11].strip())
        scores.append(max(0.0, float(cells[10])) / 100)
    text = "\n".join(_SPACE_BETWEEN_CJK.sub("", " ".join(words)) for words in lines.values())
    return OcrText(text, sum(scores) / len(scores) if scores else None)


PageImage = tuple[int, "Image.Image | Exception"]
"""A page number and its image, or the error that kept it from being rendered."""


def recognize_pages(
    pages: Iterable[PageImage],
    total: int,
    engine_name: str,
    workers: int,
    progress: Callable[[int, int], None] | None,
    soft_deadline: float,
) -> dict[int, OcrText | str]:
    """OCR each page; the value is the text, or the reason the page has none."""
    workers = workers_for(workers)
    threads = max(1, (os.cpu_count() or 1) // workers)
    local = threading.local()
    load_engine(engine_name, threads)  # fail at once, not once per page, if it is missing

    def run(image: Image.Image) -> OcrText:
        if not hasattr(local, "engine"):
            local.engine = load_engine(engine_name, threads)
        return local.engine.recognize(image)

    results: dict[int, OcrText | str] = {}
    report = progress or (lambda done, all_pages: None)
    report(0, total)
    with ThreadPoolExecutor(workers, thread_name_prefix="ocr") as pool:
        pending: dict[Future[OcrText], int] = {}
        for number, image in pages:
            if isinstance(image, Exception):
                results[number] = f"页面无法转为图像：{image}"[:200]
            elif time.monotonic() > soft_deadline:
                results[number] = "超过识别时间上限，未识别"
            else:
                while len(pending) >= 2 * workers:
                    _collect(pending, results, report, total, wait_for=FIRST_COMPLETED)
                pending[pool.submit(run, image)] = number
        _collect(pending, results, report, total, wait_for=None)
    return results


def _collect(pending, results, report, total, wait_for) -> None:  # noqa: ANN001
    finished = wait(pending, return_when=wait_for).done if wait_for else list(pending)
    for future in finished:
        number = pending.pop(future)
        try:
            results[number] = future.result()
        except Exception as exc:  # one page's failure is reported, the others kept
            results[number] = f"识别失败：{type(exc).__name__}: {exc}"[:200]
        report(len(results), total)
