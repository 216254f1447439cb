"""Browser journey of issue #15's UI findings 10 and 14 (the rest): a clerk searches a
phrase, opens the result, sees every occurrence marked and steps through them with
下一处/上一处; then prints the document's 法律顾问文书备案登记表 (one A4 page, no navigation).

Runs after the other journeys (file order), when the index worker has caught up with
the demo documents.
"""

from __future__ import annotations

import io
import re
import time

import pypdfium2
from docx import Document as Docx

from tests.e2e.test_journeys import nav, upload_through_form

try:
    from playwright.sync_api import expect
except ImportError:  # the fixtures skip loudly
    expect = None

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PHRASE = "金明池引水渠改造"
FILLER = "该事项涉及财政资金使用和公众利益，应当依法履行决策程序。" * 12


def _opinion() -> bytes:
    """An opinion naming the phrase three times, far enough apart to scroll between."""
    doc = Docx()
    doc.add_heading("法律意见书", level=1)
    for n in range(3):
        doc.add_paragraph(f"第{n + 1}项：关于{PHRASE}的审查意见。")
        for _ in range(4):
            doc.add_paragraph(FILLER)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_clerk_steps_through_the_marked_phrase_and_prints_the_registration_form(login, server,
                                                                                 shot):
    title = f"关于{PHRASE}项目的法律意见书{int(time.time())}"
    clerk = login("clerk")
    doc_id = upload_through_form(clerk, "引水渠.docx", _opinion(), DOCX, title)
    server.wait_indexed(doc_id)

    nav(clerk, "全文检索")
    clerk.get_by_label("检索词").fill(f'"{PHRASE}"')
    clerk.get_by_role("button", name="检索").click()
    clerk.locator(".gc-hit").filter(has_text=title[-10:]).get_by_role("link").first.click()
    clerk.wait_for_url(re.compile(rf"/documents/{doc_id}\?q="))

    marks = clerk.locator("[data-hit-text] mark")
    expect(marks).to_have_count(3)
    expect(marks.first).to_have_text(PHRASE)
    expect(clerk.locator("main h1 mark")).to_have_text(PHRASE)
    expect(clerk.locator("[data-hit-count]")).to_have_text("共 3 处")
    expect(marks.nth(0)).to_have_class(re.compile("gc-mark-current"))
    expect(marks.nth(2)).not_to_be_in_viewport()  # further down the scrolling text panel
    nav_bar = clerk.get_by_role("navigation", name="检索词位置")
    nav_bar.get_by_role("button", name="下一处").click()
    nav_bar.get_by_role("button", name="下一处").click()
    expect(marks.nth(2)).to_have_class(re.compile("gc-mark-current"))
    expect(marks.nth(2)).to_be_in_viewport()
    expect(clerk.locator("[data-hit-label]")).to_have_text("第 3 / 3 处")
    shot(clerk, "10-document-hits")
    nav_bar.get_by_role("button", name="上一处").click()
    expect(marks.nth(1)).to_have_class(re.compile("gc-mark-current"))
    expect(marks.nth(2)).not_to_have_class(re.compile("gc-mark-current"))

    clerk.emulate_media(media="print")  # the document page prints without menus or buttons
    expect(clerk.get_by_role("navigation", name="主导航")).to_be_hidden()
    expect(nav_bar).to_be_hidden()
    clerk.emulate_media(media="screen")

    with clerk.context.expect_page() as opened:
        clerk.get_by_role("link", name="打印备案登记表").click()
    form = opened.value
    form.wait_for_load_state()
    expect(form.locator("h1")).to_have_text("法律顾问文书备案登记表")
    expect(form.locator(".gc-form-table")).to_contain_text(title)
    expect(form.get_by_role("button", name="打印")).to_be_visible()
    shot(form, "14-registration-form")
    form.emulate_media(media="print")
    expect(form.get_by_role("navigation", name="登记表操作")).to_be_hidden()
    expect(form.locator("h1")).to_be_visible()
    pdf = pypdfium2.PdfDocument(form.pdf(format="A4", prefer_css_page_size=True))
    assert len(pdf) == 1  # Ctrl+P gives one A4 sheet
    assert "法律顾问文书备案登记表" in pdf[0].get_textpage().get_text_range()
    pdf.close()
