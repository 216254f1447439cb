"""A redline as HTML: ``<ins>`` for inserted text, ``<del>`` for deleted text.

Every piece of document text is escaped (``html.escape``), so a contract that
contains ``<script>`` shows it as text. The markup uses only ``div``, ``p``,
``span``, ``ins`` and ``del`` with ``gc-redline-*`` classes, for the webapp's
stylesheet::

    <div class="gc-redline">
      <p class="gc-redline-modify" data-where="第5段"><span class="gc-redline-where">第5段</span>
         本合同一式<del>四</del><ins>六</ins>份……</p>
    </div>

``only_changes=True`` leaves unchanged paragraphs out (a summary view).
"""

from __future__ import annotations

from html import escape

from .messages import text
from .redline import Change, Redline

_TAG = {"insert": "ins", "delete": "del"}


def _segment_html(op: str, text: str) -> str:
    content = escape(text).replace("\n", "<br>")
    tag = _TAG.get(op)
    return content if tag is None else f"<{tag}>{content}</{tag}>"


def change_html(change: Change) -> str:
    """One paragraph or cell as a ``<p>`` with its location and marked segments."""
    where = escape(change.where)
    body = "".join(_segment_html(seg.op, seg.text) for seg in change.segments)
    return (f'<p class="gc-redline-{change.op}" data-where="{where}">'
            f'<span class="gc-redline-where">{where}</span>{body}</p>')


def to_html(redline: Redline, *, only_changes: bool = False) -> str:
    """The whole redline as one ``<div class="gc-redline">`` (safe to embed as is)."""
    parts = [change_html(change) for change in redline.changes
             if not only_changes or change.op != "equal"]
    if not redline.has_changes:
        parts.insert(0, f'<p class="gc-redline-none">{escape(text("redline_no_changes"))}</p>')
    return '<div class="gc-redline">' + "".join(parts) + "</div>"
